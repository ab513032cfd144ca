#!/usr/bin/env python3
"""Writes a Codex CLI sessions tree of about --size-mb MB made of copies of the real rollouts in
../shared/corpus/codex, each copy with a new session id (in session_meta and in the file name),
for agentlog-bench. Prints what it wrote as JSON.

    python3 Benchmarks/scale-codex.py --size-mb 300 --out /tmp/codex-300
"""
import argparse, json, os, re, uuid

parser = argparse.ArgumentParser()
parser.add_argument('--corpus', default=os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'corpus', 'codex'))
parser.add_argument('--out', required=True)
parser.add_argument('--size-mb', type=float, required=True)
parser.add_argument('--seed', type=int, default=0, help='another seed gives other session ids (trees that add up)')
args = parser.parse_args()

files = sorted(f for f in os.listdir(args.corpus) if f.endswith('.jsonl'))
blobs = {f: open(os.path.join(args.corpus, f), 'rb').read() for f in files}
corpus_bytes = sum(len(b) for b in blobs.values())
copies = max(1, round(args.size_mb * 1e6 / corpus_bytes))
written = 0
for copy in range(copies):
    day = os.path.join(args.out, '2026', '%02d' % (copy % 12 + 1), '%02d' % (copy % 28 + 1))
    os.makedirs(day, exist_ok=True)
    for name, data in blobs.items():
        old = re.search(rb'"type":"session_meta","payload":\{"id":"([0-9a-f-]{36})"', data).group(1)
        new = str(uuid.UUID(int=(args.seed << 96) + (copy << 64) + files.index(name) + 1, version=4)).encode()
        target = os.path.join(day, 'rollout-%d-%s.jsonl' % (copy, new.decode()))
        with open(target, 'wb') as handle:
            handle.write(data.replace(old, new))
        written += len(data)
print(json.dumps({'copies': copies, 'files': copies * len(files), 'bytes': written}))
