"""Markdown tables from saved load-test results, for benchmarks/results/load-summary.md.

Run:  .venv/bin/python benchmarks/load/summary.py benchmarks/results/load-<...>.json [more.json ...]
"""

import json
import sys


def errors_seen(r):
    e = r["errors"]
    other = len(e.get("server_log_other", []))
    return len(e["client"]) + other, len(e["client"]), other


def table(path):
    r = json.load(open(path))
    s = r["settings"]
    total, seen, other = errors_seen(r)
    m, cpu, load = r["memory_mb"], r["server_cpu_pct"], r["load_average_1min"]
    launch = s.get("launcher") or (f"stock launch, preimport {s['preimport']}" if s.get("preimport")
                                   else "stock launch")
    opts = ", ".join([launch, *s.get("server_options", [])])
    out = [f"### `{path.rsplit('/', 1)[-1]}`", "",
           f"{s['protocol']} protocol + {s['browsers']} browser sessions, {r['duration_s']:.0f} s, "
           f"peak {r['peak_sessions']} at once, think time {s['think_s'][0]}–{s['think_s'][1]} s; {opts}. "
           f"Load average (1 min) before {load['before']}, mean during {load['mean_during']}, "
           f"max {load['max_during']:.1f}; server CPU mean {cpu['mean']} % of one core (max {cpu['max']} %).", "",
           "| sessions | kind | n | p50 s | p95 s | max s |", "|---|---|---:|---:|---:|---:|"]
    for client, kinds in r["latency_s"].items():
        for kind, v in kinds.items():
            name = f"**{kind}**" if kind == "all" else kind
            out.append(f"| {client} | {name} | {v['n']} | {v['p50']:.3f} | {v['p95']:.3f} | {v['max']:.3f} |")
    after_ttl = m.get("after_close_ttl_plus_10s")
    out += ["", f"Errors: **{total}** ({seen} seen by students, {other} other server log records). "
                f"Server RSS: start {m['start']:.0f} MB, peak {m['peak']:.0f} MB, 30 s after close "
                f"{m['after_close_30s']:.0f} MB" + (f", 130 s after close {after_ttl:.0f} MB." if after_ttl else "."),
            ""]
    kinds = {}
    for e in r["errors"]["client"]:
        key = (e[0], e[2].strip(), e[3].split(" | ")[0][:70].replace("|", "/"))
        kinds[key] = kinds.get(key, 0) + 1
    if kinds:
        out += ["| errors | where | what | count |", "|---|---|---|---:|"]
        out += [f"| {c} | {k} | {w} | {n} |" for (c, k, w), n in sorted(kinds.items(), key=lambda x: -x[1])]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print("\n".join(table(p) for p in sys.argv[1:]))
