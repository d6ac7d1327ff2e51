#!/usr/bin/env python3
"""Figures of bench/broker/hostile.sh from its run folder.

  hostile-summary.py phase DIR NAME ATTACK WARMUP   one phase: prints raw lines, writes DIR/summary.json
  hostile-summary.py total RUN_DIR                  every phase of a run: the table and the targets
"""
import glob, json, os, re, sys
from collections import Counter


def pct(xs, p):
    if not xs:
        return float('nan')
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, int(-(-p * len(xs) // 100)) - 1))]  # nearest rank


def metrics(path):
    """{family: {labels: value}} from a Prometheus text file."""
    out = {}
    if not os.path.exists(path):
        return out
    for line in open(path):
        m = re.match(r'^([a-zA-Z_:]+)(\{[^}]*\})?\s+(\S+)$', line.strip())
        if m:
            out.setdefault(m.group(1), {})[m.group(2) or ''] = float(m.group(3))
    return out


def total(ms, fam, label=None):
    return sum(v for k, v in ms.get(fam, {}).items() if label is None or label in k)


def phase(d, name, attack, warmup):
    rows, measured, readies = [], [], []
    for f in sorted(glob.glob(os.path.join(d, 'legit-*.txt'))):
        lines = [l.split() for l in open(f) if l.strip()]
        ready = int(lines[0][2])  # '# ready EPOCHMS': this JVM's keys were loaded, its clock started
        readies.append(ready)
        rows += lines[1:]
        measured += [r for r in lines[1:] if int(r[0]) >= ready + warmup * 1000]
    cut = min(readies) + warmup * 1000
    ok = [r for r in measured if r[3] == 'ok']
    setup = [float(r[4]) for r in ok]
    s = {'name': name, 'attack': attack, 'attempts': len(measured), 'ok': len(ok),
         'warmup_attempts': len(rows) - len(measured),
         'warmup_failures': sum(1 for r in rows if r[3] != 'ok') - sum(1 for r in measured if r[3] != 'ok'),
         'setup_ms': setup,
         'setup_local_ms': [float(r[4]) for r in ok if r[2] == 'local'],
         'setup_redirect_ms': [float(r[4]) for r in ok if r[2] == 'redirect'],
         'transfer_ms': [float(r[5]) for r in ok],
         'failures': Counter(re.sub(r'[0-9a-f]{8,}|\d+', 'N', r[6])[:120] for r in measured if r[3] != 'ok')}
    cli = [l.split() for l in open(os.path.join(d, 'cli.txt'))] if os.path.exists(os.path.join(d, 'cli.txt')) else []
    s['cli_sessions'] = len(cli)
    s['cli_ok'] = sum(1 for r in cli if r[3] == 'ok')
    s['cli_wall_ms'] = [float(r[4]) for r in cli if r[3] == 'ok']
    s['brokers'] = []
    for i in (1, 2, 3):
        ms = metrics(os.path.join(d, f'metrics-{i}.txt'))
        proc = open(os.path.join(d, f'proc-{i}.txt')).read().split()
        heap_used, heap_committed = [], []
        jf = os.path.join(d, f'jstat-{i}.txt')
        hdr = None
        for line in (open(jf) if os.path.exists(jf) else []):
            f = line.split()
            if f and f[0] == 'S0C':
                hdr = f
            elif hdr and len(f) == len(hdr):
                v = dict(zip(hdr, map(float, f)))
                heap_used.append(v['S0U'] + v['S1U'] + v['EU'] + v['OU'])
                heap_committed.append(v['S0C'] + v['S1C'] + v['EC'] + v['OC'])
        s['brokers'].append({
            'id': f'broker-hn-{i}',
            'vmhwm_mib': int(proc[1]) / 1024, 'vmrss_mib': int(proc[3]) / 1024,
            'heap_used_hwm_mib': max(heap_used, default=0) / 1024,
            'heap_committed_hwm_mib': max(heap_committed, default=0) / 1024,
            'heap_max_mib': total(ms, 'jvm_memory_max_bytes', 'area="heap"') / 2**20,
            'failed_joins': {k: v for k, v in ms.get('switchboard_failed_joins_total', {}).items()},
            'failed_joins_total': total(ms, 'switchboard_failed_joins_total'),
            'rate_limited': total(ms, 'switchboard_rate_limited_joins_total'),
            'cut_off': ms.get('switchboard_clients_cut_off_total', {}),
            'proxy_refused': total(ms, 'switchboard_proxy_header_refused_total'),
            'handshake_failures': total(ms, 'switchboard_tls_handshake_failures_total'),
            'admin_refused': total(ms, 'switchboard_admin_connections_refused_total'),
            'admin_timeouts': total(ms, 'switchboard_admin_request_timeouts_total'),
            'sessions': total(ms, 'switchboard_sessions_total'),
            'redirects': total(ms, 'switchboard_redirects_total'),
            'metrics_read': bool(ms)})
    hz = Counter()
    hf = os.path.join(d, 'healthz.txt')
    for line in (open(hf) if os.path.exists(hf) else []):
        f = line.split()
        if len(f) == 3 and int(f[0]) * 1000 >= cut:
            hz[(f[1], f[2])] += 1
    s['healthz'] = {ip: f"{hz[(ip, 'ok')]}/{hz[(ip, 'ok')] + hz[(ip, 'fail')]}" for ip, _ in hz}
    atk = {}
    af = os.path.join(d, 'attacker.txt')
    for line in (open(af) if os.path.exists(af) else []):
        k, _, v = line.strip().partition('=')
        atk[k] = int(v)
    s['attacker'] = atk
    evaluated = sum(b['failed_joins_total'] for b in s['brokers'])
    s['evaluated'] = evaluated
    if atk:
        minutes = (atk['attack.deadline_ms'] - atk['attack.start_ms']) / 60000
        s['attack_minutes'] = minutes
        s['evaluated_per_min'] = evaluated / minutes
        # Steady state: the attacker's own tally of evaluated codes after the buckets' first minute.
        slots = {int(k.rsplit('.', 1)[1]): v for k, v in atk.items() if k.startswith('timeline.evaluated.')}
        last = (atk['attack.deadline_ms'] - atk['attack.start_ms']) // 10000 * 10  # the partial slot
        steady = [s_ for s_ in range(60, last, 10)]
        s['evaluated_per_min_steady'] = (sum(slots.get(x, 0) for x in steady) / (len(steady) / 6)
                                         if steady else None)
        cfg = open(os.path.join(d, '..', 'broker-1', 'broker.yaml')).read()
        lim = {k: int(re.search(k + r':\s*(\d+)', cfg).group(1)) for k in
               ('failedJoinsPerAddressPerMinute', 'failedJoinsPerCertificatePerMinute', 'failedJoinsPerBrokerPerMinute')}
        src = atk['attack.sources']
        per_src = min(lim['failedJoinsPerAddressPerMinute'], lim['failedJoinsPerCertificatePerMinute'])
        s['limit_mesh_wide'] = src * per_src
        s['limit_per_broker_sum'] = 3 * min(src * per_src, lim['failedJoinsPerBrokerPerMinute'])
    json.dump(s, open(os.path.join(d, 'summary.json'), 'w'), default=dict)
    show(s)


def show(s):
    n = s['name']
    rate = 100 * s['ok'] / s['attempts'] if s['attempts'] else float('nan')
    print(f"{n} legit: {s['attempts']} set-ups after warm-up, {s['ok']} ok ({rate:.2f} %);"
          f" warm-up {s['warmup_attempts']} ({s['warmup_failures']} failed)")
    for k in ('setup_ms', 'setup_local_ms', 'setup_redirect_ms', 'transfer_ms'):
        xs = s[k]
        print(f"{n} legit {k}: n {len(xs)} p50 {pct(xs, 50):.1f} p90 {pct(xs, 90):.1f}"
              f" p99 {pct(xs, 99):.1f} max {max(xs, default=float('nan')):.1f}")
    for why, c in s['failures'].most_common(8):
        print(f"{n} legit failure x{c}: {why}")
    print(f"{n} cli: {s['cli_sessions']} sessions, {s['cli_ok']} ok; wall ms (2 JVM starts + set-up + 64 KiB echo)"
          f" p50 {pct(s['cli_wall_ms'], 50):.0f} max {max(s['cli_wall_ms'], default=float('nan')):.0f}")
    for b in s['brokers']:
        print(f"{n} {b['id']}: VmHWM {b['vmhwm_mib']:.1f} MiB, heap used HWM {b['heap_used_hwm_mib']:.1f} MiB"
              f" (committed HWM {b['heap_committed_hwm_mib']:.1f}, max {b['heap_max_mib']:.0f}) MiB;"
              f" failed joins {b['failed_joins_total']:.0f}, rate limited {b['rate_limited']:.0f},"
              f" cut off {json.dumps(b['cut_off'])}, proxy refused {b['proxy_refused']:.0f},"
              f" handshake failures {b['handshake_failures']:.0f}, admin refused {b['admin_refused']:.0f},"
              f" admin timeouts {b['admin_timeouts']:.0f}, sessions {b['sessions']:.0f}, redirects {b['redirects']:.0f}"
              f"{'' if b['metrics_read'] else ' (METRICS NOT READ)'}")
    print(f"{n} healthz ok/probes after warm-up: {s['healthz']}")
    if s['attacker']:
        print(f"{n} wrong codes evaluated across the mesh: {s['evaluated']:.0f} in {s['attack_minutes']:.2f} min"
              f" = {s['evaluated_per_min']:.0f}/min (steady state after 60 s, attacker's tally:"
              f" {s['evaluated_per_min_steady'] if s['evaluated_per_min_steady'] is None else round(s['evaluated_per_min_steady'])}/min);"
              f" limit for its {s['attacker']['attack.sources']} sources counted mesh-wide {s['limit_mesh_wide']}/min,"
              f" per broker alone (no sharing) {s['limit_per_broker_sum']}/min")
        print(f"{n} attacker: " + ' '.join(f"{k}={v}" for k, v in sorted(s['attacker'].items())
                                           if not k.startswith('timeline.')))


def total_(run):
    ss = [json.load(open(f)) for f in sorted(glob.glob(os.path.join(run, '*', 'summary.json')))]
    q = [s for s in ss if not s['attack']]
    a = [s for s in ss if s['attack']]
    def pool(group, k):
        return [x for s in group for x in s[k]]
    def rate(group):
        att = sum(s['attempts'] for s in group)
        return 100 * sum(s['ok'] for s in group) / att if att else float('nan')
    print('| figure | without attacker | with attacker | target | met? |')
    print('| --- | --- | --- | --- | --- |')
    rq, ra = rate(q), rate(a)
    print(f"| legit set-up success (library pairs, after warm-up) | {rq:.2f} % ({sum(s['ok'] for s in q)}/{sum(s['attempts'] for s in q)})"
          f" | {ra:.2f} % ({sum(s['ok'] for s in a)}/{sum(s['attempts'] for s in a)}) | 100 %, never < 99 % |"
          f" {'met' if ra >= 100 else 'met (≥ 99 %)' if ra >= 99 else 'MISSED'} |")
    cq = sum(s['cli_ok'] for s in q), sum(s['cli_sessions'] for s in q)
    ca = sum(s['cli_ok'] for s in a), sum(s['cli_sessions'] for s in a)
    print(f"| CLI row sessions ok | {cq[0]}/{cq[1]} | {ca[0]}/{ca[1]} | all | {'met' if ca[0] == ca[1] else 'MISSED'} |")
    for k, label in (('setup_ms', 'set-up'), ('setup_local_ms', 'set-up, same broker'), ('setup_redirect_ms', 'set-up, redirected')):
        xq, xa = pool(q, k), pool(a, k)
        r = pct(xa, 99) / pct(xq, 99) if xq and xa else float('nan')
        print(f"| {label} p50 / p99, ms | {pct(xq, 50):.1f} / {pct(xq, 99):.1f} | {pct(xa, 50):.1f} / {pct(xa, 99):.1f}"
              f" | p99 ≤ 2× without | {'met' if r <= 2 else 'MISSED'} ({r:.2f}×) |")
    for i in range(3):
        bq = max((s['brokers'][i] for s in q), key=lambda b: b['vmhwm_mib'], default=None)
        ba = max((s['brokers'][i] for s in a), key=lambda b: b['vmhwm_mib'], default=None)
        f = lambda b: f"{b['vmhwm_mib']:.0f} / {b['heap_used_hwm_mib']:.0f}" if b else 'n/a'
        print(f"| broker-hn-{i + 1} RSS (VmHWM) / heap used high-water, MiB | {f(bq)} | {f(ba)} | bounded, stated | stated |")
    for s in a:
        steady = s['evaluated_per_min_steady']
        print(f"| wrong codes evaluated per minute across the mesh ({s['name']}) | {sum(x['evaluated'] for x in q):.0f} in total"
              f" | {s['evaluated_per_min']:.0f}/min over the attack; {'n/a' if steady is None else round(steady)}/min after its first minute"
              f" | ≤ {s['limit_mesh_wide']}/min ({s['attacker']['attack.sources']} sources × the per-source limit)"
              f" | {'met' if (steady if steady is not None else s['evaluated_per_min']) <= s['limit_mesh_wide'] else 'MISSED'} |")
        breach = s['attacker'].get('replay.BREACH', 0)
        print(f"| replayed tickets that started a session ({s['name']}) | | {breach} | 0 | {'met' if breach == 0 else 'MISSED'} |")


if __name__ == '__main__':
    if sys.argv[1] == 'phase':
        phase(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        total_(sys.argv[2])
