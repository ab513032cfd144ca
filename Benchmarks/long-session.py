#!/usr/bin/env python3
"""Writes one Claude Code session of at least --messages messages, for the `show` benchmark:
copies of a real main transcript from ../shared/corpus/claude laid end to end in one file, each
copy with new uuids, message, request and tool ids, and timestamps moved past the copy before,
all under one session id. Prints what it wrote as JSON.

    python3 Benchmarks/long-session.py --messages 10000 --out /tmp/long/projects
"""
import argparse, datetime, json, os, re, uuid

parser = argparse.ArgumentParser()
here = os.path.dirname(os.path.abspath(__file__))
parser.add_argument('--source', default=os.path.join(here, '..', '..', 'shared', 'corpus', 'claude',
                                                     'ccl__-experiments-worktrees', 'ef958aa1-0e93-49f0-bb71-150f63befcd1.jsonl'))
parser.add_argument('--out', required=True, help='a projects folder to write into')
parser.add_argument('--messages', type=int, default=10000)
args = parser.parse_args()

lines = [l for l in open(args.source, 'rb').read().split(b'\n') if l.strip()]
session = json.loads(next(l for l in lines if b'"sessionId"' in l))['sessionId']
records = sum(1 for l in lines if re.search(rb'"type":"(user|assistant|system)"', l))
uuid_re = re.compile(rb'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}')
id_re = re.compile(rb'\b(msg|req|toolu)_[A-Za-z0-9]+')
time_re = re.compile(rb'"timestamp":"([0-9T:.\-]+)Z"')
stamps = [datetime.datetime.fromisoformat(m.decode()) for l in lines for m in time_re.findall(l)]
span = (max(stamps) - min(stamps)) + datetime.timedelta(minutes=1)

new_session = str(uuid.UUID(int=0xA11CE, version=4))
copies = -(-args.messages // records)
folder = os.path.join(args.out, '-bench-long-session')
os.makedirs(folder, exist_ok=True)
path = os.path.join(folder, new_session + '.jsonl')
with open(path, 'wb') as out:
    for copy in range(copies):
        def new_uuid(match):
            old = match.group(0)
            if old == session.encode():
                return new_session.encode()
            return str(uuid.uuid5(uuid.NAMESPACE_OID, '%d/%s' % (copy, old.decode()))).encode()
        def new_id(match):
            return match.group(1) + b'_c%d' % copy + match.group(0)[len(match.group(1)) + 1:]
        def new_time(match):
            moved = datetime.datetime.fromisoformat(match.group(1).decode()) + copy * span
            return b'"timestamp":"' + moved.isoformat(timespec='milliseconds').encode() + b'Z"'
        for line in lines:
            out.write(time_re.sub(new_time, id_re.sub(new_id, uuid_re.sub(new_uuid, line))) + b'\n')
print(json.dumps({'file': path, 'session': new_session, 'copies': copies, 'records_per_copy': records,
                  'bytes': os.path.getsize(path)}))
