#!/usr/bin/env python3
"""Expected per-file figures for the Codex CLI rollouts of ../shared/corpus/codex, computed
independently of agentlog (Python's json module, the rules of the issue), for CodexSyncTests.

Rules: a session per session_meta id; a tool call per function_call, custom_tool_call,
local_shell_call and web_search_call item; usage from event_msg token_count: skip info null and
snapshots whose total_token_usage equals the previous one; a turn's counts are the snapshot's
last_token_usage (else the difference to the previous snapshot, or the snapshot itself after a
restart); input excludes cached input (cache read), output includes reasoning.

    python3 Tests/AgentLogSyncTests/codex_expected.py ../shared/corpus/codex
"""
import json, os, sys

def tally(path):
    sessions, calls = set(), 0
    prev, usage = None, [0, 0, 0]  # input (uncached), output, cache read
    for raw in open(path, 'rb'):
        record = json.loads(raw)
        kind, payload = record.get('type'), record.get('payload') or {}
        if kind == 'session_meta':
            sessions.add(payload['id'])
        elif kind == 'response_item' and payload.get('type') in ('function_call', 'custom_tool_call', 'local_shell_call', 'web_search_call'):
            calls += 1
        elif kind == 'event_msg' and payload.get('type') == 'token_count' and payload.get('info'):
            total = payload['info']['total_token_usage']
            if total == prev:
                continue
            last = payload['info'].get('last_token_usage')
            if last is None:
                last = {k: total[k] - (prev or {}).get(k, 0) for k in total}
                if any(v < 0 for v in last.values()):
                    last = total
            usage[0] += last['input_tokens'] - last.get('cached_input_tokens', 0)
            usage[1] += last['output_tokens']
            usage[2] += last.get('cached_input_tokens', 0)
            prev = total
    return {'sessions': len(sessions), 'toolCalls': calls, 'input': usage[0], 'output': usage[1], 'cacheRead': usage[2]}

folder = sys.argv[1] if len(sys.argv) > 1 else '../shared/corpus/codex'
print(json.dumps({name: tally(os.path.join(folder, name)) for name in sorted(os.listdir(folder)) if name.endswith('.jsonl')}, indent=1))
