#!/usr/bin/env python3
"""Expected per-file figures for the Gemini CLI sessions of ../shared/corpus/gemini, computed
independently of agentlog (Python's json module, the rules of the issue), for GeminiSyncTests.

Rules: a JSON document holds one session; a JSONL log has a header line (sessionId), message
records and "$set" lines; a message written again with the same id replaces the earlier one.
Tool calls live in messages' toolCalls. Tokens {input, output, cached, thoughts, tool}: uncached
input = input - cached + tool, output = output + thoughts, cache read = cached.

    python3 Tests/AgentLogSyncTests/gemini_expected.py ../shared/corpus/gemini
"""
import json, os, sys

def messages_of(path):
    if path.endswith('.json'):
        document = json.load(open(path, 'rb'))
        return {document['sessionId']}, document.get('messages', [])
    sessions, by_id = set(), {}
    for raw in open(path, 'rb'):
        record = json.loads(raw)
        if '$set' in record:
            continue
        if 'id' not in record and 'sessionId' in record:
            sessions.add(record['sessionId'])
            continue
        by_id[record['id']] = record  # a later record of the same id replaces the earlier one
    return sessions, list(by_id.values())

def tally(path):
    sessions, messages = messages_of(path)
    totals = {'sessions': len(sessions), 'messages': len(messages), 'toolCalls': 0, 'input': 0, 'output': 0, 'cacheRead': 0}
    for message in messages:
        totals['toolCalls'] += len(message.get('toolCalls') or [])
        tokens = message.get('tokens')
        if tokens:
            totals['input'] += tokens.get('input', 0) - tokens.get('cached', 0) + tokens.get('tool', 0)
            totals['output'] += tokens.get('output', 0) + tokens.get('thoughts', 0)
            totals['cacheRead'] += tokens.get('cached', 0)
    return totals

folder = sys.argv[1] if len(sys.argv) > 1 else '../shared/corpus/gemini'
print(json.dumps({name: tally(os.path.join(folder, name)) for name in sorted(os.listdir(folder))}, indent=1))
