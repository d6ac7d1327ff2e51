#!/usr/bin/env bash
# The seed network (examples/seed-topology.yaml) as separate "hosts": one network namespace per
# broker, regional lb, POP, client, the DNS server and the backbone; see docs/deploy.md.
#   deploy/netns/seed.sh up   [--prefix P] [--state DIR]   builds it and waits until it is ready
#   deploy/netns/seed.sh down [--prefix P] [--state DIR]   stops every process, deletes every namespace
# Needs root, iproute2, dnsmasq, curl, envsubst (gettext-base) and a JDK. Only 10.x addresses inside
# the namespaces it creates; nothing is added to the host's own network namespace.
# Environment: SWITCHBOARD (the command, default bin/switchboard), SWITCHBOARD_JAVA_OPTS,
# DNS_TTL (default 5), DNS_FOLLOW (1: run the health-following updater, the default),
# GLOBAL_PROBE_INTERVAL (default 1s; Azure's cross-region LB probes every 5s).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
templates="$repo/deploy/templates"

action="${1:-}"
shift || true
P=sb
STATE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) P="$2"; shift 2 ;;
    --state) STATE="$2"; shift 2 ;;
    *) echo "seed.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
STATE="${STATE:-/tmp/switchboard-seed-$P}"
SWITCHBOARD="${SWITCHBOARD:-$repo/bin/switchboard}"
read -r -a SB <<<"$SWITCHBOARD" # may be several words ("java -cp ... Main")
export SWITCHBOARD_JAVA_OPTS="${SWITCHBOARD_JAVA_OPTS:--Xms16m -Xmx160m -XX:+UseSerialGC}"
DNS_TTL="${DNS_TTL:-5}"
DNS_FOLLOW="${DNS_FOLLOW:-1}"
GLOBAL_PROBE_INTERVAL="${GLOBAL_PROBE_INTERVAL:-1s}"
DOMAIN=company.com

# The seed: regions (number i: their LAN is 10.i.0.0/16) and brokers (number N, in file order).
REGIONS=(us in)
declare -A RNUM=([us]=1 [in]=2)
BROKERS=(broker-us-1 broker-us-2 broker-in-3 broker-in-4)
declare -A BREGION=([broker-us-1]=us [broker-us-2]=us [broker-in-3]=in [broker-in-4]=in)
declare -A RTT=([us-us]=15 [in-in]=15 [us-in]=170 [in-us]=170) # ms, the backbone's round trips

# Addresses. Region i: POP 10.i.0.1, regional lb 10.i.0.2 (+ frontend for hostname N at
# 10.i.0.(100+N)), broker N 10.i.0.(10+N), client 10.i.0.50, DNS 10.i.0.53, backbone 10.i.0.254;
# the backbone's end in region i for hostname N of region x: 10.i.(100+x).N. Anycast: 10.99.0.N.
num() { local i; for i in "${!BROKERS[@]}"; do [ "${BROKERS[$i]}" = "$1" ] && echo $((i + 1)); done; }
host_of() { echo "$1.$DOMAIN"; }
broker_addr() { echo "10.${RNUM[${BREGION[$1]}]}.0.$((10 + $(num "$1")))"; }
anycast() { echo "10.99.0.$(num "$1")"; }
frontend() { echo "10.${RNUM[$1]}.0.$((100 + $(num "$2")))"; }    # region, broker
backbone() { echo "10.${RNUM[$1]}.$((100 + RNUM[$2])).$(num "$3")"; } # from region, to region, broker
pop_addr() { echo "10.${RNUM[$1]}.0.1"; }
lb_addr() { echo "10.${RNUM[$1]}.0.2"; }
wan_addr() { echo "10.${RNUM[$1]}.0.254"; }
dns_addr() { echo "10.${RNUM[$1]}.0.53"; }

ns() { echo "$P-$1"; }
say() { echo "seed: $*" >&2; }

# render TEMPLATE: the template with its ${VARS} replaced from the environment (only those).
render() {
  local vars
  vars="$(grep -o '\${[A-Z_]*}' "$templates/$1" | sort -u | tr '\n' ' ')"
  envsubst "$vars" <"$templates/$1"
}

link() { # link NS1 IF1 NS2 IF2: a veth pair between two namespaces
  ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
  ip -n "$1" link set "$2" up
  ip -n "$3" link set "$4" up
}

addns() {
  ip netns add "$(ns "$1")"
  echo "$(ns "$1")" >>"$STATE/namespaces"
  ip -n "$(ns "$1")" link set lo up
}

plug() { # plug HOST REGION ADDR...: the host's eth-REGION on the region's bridge
  local h="$1" r="$2" a
  shift 2
  link "$(ns "$h")" "eth-$r" "$(ns "net-$r")" "v-$h"
  ip -n "$(ns "net-$r")" link set "v-$h" master br0
  for a in "$@"; do ip -n "$(ns "$h")" addr add "$a/16" dev "eth-$r"; done
}

start() { # start NAME HOST CMD...: a process in HOST's namespace, logged, its pid recorded
  local name="$1" h="$2"
  shift 2
  ip netns exec "$(ns "$h")" "$@" >"$STATE/log/$name.log" 2>&1 </dev/null &
  echo "$!" >"$STATE/run/$name.pid"
}


build_network() {
  for r in "${REGIONS[@]}"; do
    addns "net-$r"
    ip -n "$(ns "net-$r")" link add br0 type bridge
    ip -n "$(ns "net-$r")" link set br0 up
  done
  addns wan
  addns dns
  for h in wan dns; do
    ip netns exec "$(ns "$h")" sysctl -qw net.ipv4.ip_forward=0 # the relays are the only way across
  done
  for r in "${REGIONS[@]}"; do
    addns "pop-$r"
    plug "pop-$r" "$r" "$(pop_addr "$r")"
    addns "lb-$r"
    local fes=("$(lb_addr "$r")")
    for b in "${BROKERS[@]}"; do
      fes+=("$(frontend "$r" "$b")")
      ip -n "$(ns "pop-$r")" addr add "$(anycast "$b")/32" dev lo # every hostname at every POP
    done
    plug "lb-$r" "$r" "${fes[@]}"
    addns "cli-$r"
    plug "cli-$r" "$r" "10.${RNUM[$r]}.0.50"
    ip -n "$(ns "cli-$r")" route add 10.99.0.0/24 via "$(pop_addr "$r")" # anycast: its own POP
    plug dns "$r" "$(dns_addr "$r")"
    local bb=("$(wan_addr "$r")")
    for x in "${REGIONS[@]}"; do
      [ "$x" = "$r" ] && continue
      for b in "${BROKERS[@]}"; do bb+=("$(backbone "$r" "$x" "$b")"); done
    done
    plug wan "$r" "${bb[@]}"
    mkdir -p "/etc/netns/$(ns "cli-$r")"
    echo "/etc/netns/$(ns "cli-$r")" >>"$STATE/netns-etc"
    echo "nameserver $(dns_addr "$r")" >"/etc/netns/$(ns "cli-$r")/resolv.conf"
  done
  for b in "${BROKERS[@]}"; do
    addns "$b"
    plug "$b" "${BREGION[$b]}" "$(broker_addr "$b")"
  done
}

pki() {
  local dir="$STATE/pki" names=() b
  for b in "${BROKERS[@]}"; do names+=(--dns "$(host_of "$b")"); done
  "${SB[@]}" pki init --dir "$dir" >/dev/null
  for b in "${BROKERS[@]}"; do
    "${SB[@]}" pki issue broker --dir "$dir" --name "$b" "${names[@]}" --ip "$(broker_addr "$b")" >/dev/null
  done
  "${SB[@]}" pki issue controller --dir "$dir" --name alice >/dev/null
  "${SB[@]}" pki issue target --dir "$dir" --name t1 >/dev/null
}

etc() { # etc HOST: the host's /etc/switchboard
  mkdir -p "$STATE/hosts/$1/etc/switchboard/pki" "$STATE/hosts/$1/var"
  chmod 700 "$STATE/hosts/$1/var"
  echo "$STATE/hosts/$1/etc/switchboard"
}

configure() {
  local b p r x
  for b in "${BROKERS[@]}"; do
    local e r
    e="$(etc "$b")"
    r="${BREGION[$b]}"
    cp "$STATE/pki/ca.pem" "$STATE/pki/$b.pem" "$STATE/pki/$b-key.pem" "$e/pki/"
    PEERS=""
    for p in "${BROKERS[@]}"; do
      [ "$p" = "$b" ] && continue
      if [ "${BREGION[$p]}" = "$r" ]; then
        PEER_MESH="$(broker_addr "$p"):7444"
      else
        PEER_MESH="$(backbone "$r" "${BREGION[$p]}" "$p"):7444"
      fi
      PEERS="$PEERS$(PEER_ID="$p" PEER_HOSTNAME="$(host_of "$p")" PEER_MESH="$PEER_MESH" \
        render broker-peer.yaml)"$'\n'
    done
    BROKER_ID="$b" BROKER_HOSTNAME="$(host_of "$b")" BROKER_ADDR="$(broker_addr "$b")" \
      STATE_DIR="$STATE/hosts/$b/var" REGIONAL_LB_ADDR="$(lb_addr "$r")" PEERS="${PEERS%$'\n'}" \
      render broker.yaml >"$e/broker.yaml"
  done
  for r in "${REGIONS[@]}"; do
    local fe="" pools="" rules="" pops="$(pop_addr "$r")/32, $(wan_addr "$r")/32" e
    for b in "${BROKERS[@]}"; do
      local pool=region
      fe="$fe$(BROKER_ID="$b" FRONTEND_ADDR="$(frontend "$r" "$b")" render regional-lb-frontend.yaml)"$'\n'
      if [ "${BREGION[$b]}" = "$r" ]; then
        pool="b-$b"
        pools="$pools$(BROKER_ID="$b" render regional-lb-pool.yaml)"$'\n'
      fi
      rules="$rules$(BROKER_ID="$b" POOL="$pool" POP_SOURCES="$pops" REGIONAL_LB_ADDR="$(lb_addr "$r")" \
        render regional-lb-rule.yaml)"$'\n'
    done
    e="$(etc "lb-$r")"
    REGION="$r" FRONTENDS="${fe%$'\n'}" POOLS="${pools%$'\n'}" RULES="${rules%$'\n'}" \
      render regional-lb.yaml >"$e/lb.yaml"
    # The regional lb's admin token (docs/lb.md): the lb reads it beside its lb.yaml, each broker of
    # the region beside its broker.yaml (register.tokenFile's default); made here, copied like a key.
    (umask 077 && head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=' >"$e/lb-admin.token")
    echo >>"$e/lb-admin.token"
    for b in "${BROKERS[@]}"; do
      if [ "${BREGION[$b]}" = "$r" ]; then
        install -m 600 "$e/lb-admin.token" "$(etc "$b")/lb-admin.token"
      fi
    done
    fe="" pools="" rules=""
    local probes=""
    for b in "${BROKERS[@]}"; do
      local backends=""
      for x in "${REGIONS[@]}"; do
        local ip prio
        if [ "$x" = "$r" ]; then ip="$(frontend "$r" "$b")"; else ip="$(backbone "$r" "$x" "$b")"; fi
        if [ "$x" = "${BREGION[$b]}" ]; then prio=0; else prio=$((1 + RTT[$r-$x])); fi
        backends="${backends:+$backends, }{ip: $ip, name: $x, priority: $prio}"
      done
      fe="$fe$(BROKER_ID="$b" ANYCAST_ADDR="$(anycast "$b")" render pop-lb-frontend.yaml)"$'\n'
      pools="$pools$(BROKER_ID="$b" REGION_BACKENDS="$backends" render pop-lb-pool.yaml)"$'\n'
      probes="$probes$(BROKER_ID="$b" GLOBAL_PROBE_INTERVAL="$GLOBAL_PROBE_INTERVAL" \
        render pop-lb-probe.yaml)"$'\n'
      rules="$rules$(BROKER_ID="$b" POP_ADDR="$(pop_addr "$r")" render pop-lb-rule.yaml)"$'\n'
    done
    e="$(etc "pop-$r")"
    REGION="$r" POP_ADDR="$(pop_addr "$r")" FRONTENDS="${fe%$'\n'}" POOLS="${pools%$'\n'}" \
      PROBES="${probes%$'\n'}" RULES="${rules%$'\n'}" render pop-lb.yaml >"$e/lb.yaml"
    e="$(etc "cli-$r")"
    cp "$STATE/pki/ca.pem" "$STATE/pki/alice.pem" "$STATE/pki/alice-key.pem" \
      "$STATE/pki/t1.pem" "$STATE/pki/t1-key.pem" "$e/pki/"
  done
  local e addrs=""
  e="$(etc dns)"
  for r in "${REGIONS[@]}"; do addrs="${addrs:+$addrs,}$(dns_addr "$r")"; done
  DOMAIN="$DOMAIN" DNS_ADDRS="$addrs" HOSTS_FILE="$e/hosts" DNS_TTL="$DNS_TTL" \
    render dnsmasq.conf >"$e/dnsmasq.conf"
  : >"$e/hosts"
  : >"$e/brokers.tsv"
  for b in "${BROKERS[@]}"; do
    ANYCAST_ADDR="$(anycast "$b")" BROKER_HOSTNAME="$(host_of "$b")" render hosts >>"$e/hosts"
    # what the DNS updater needs: hostname, its anycast address, region, its regional lb admin
    printf '%s\t%s\t%s\t%s\n' "$(host_of "$b")" "$(anycast "$b")" "${BREGION[$b]}" \
      "$(lb_addr "${BREGION[$b]}"):7490/rules/r-$b/health" >>"$e/brokers.tsv"
  done
}

run_all() {
  local r x b
  start dnsmasq dns dnsmasq --keep-in-foreground --conf-file="$STATE/hosts/dns/etc/switchboard/dnsmasq.conf" \
    --pid-file="$STATE/run/dnsmasq.dnsmasq-pid" --user=root
  for r in "${REGIONS[@]}"; do
    for x in "${REGIONS[@]}"; do
      [ "$x" = "$r" ] && continue
      local args=() half=$((RTT[$r-$x] / 2))
      for b in "${BROKERS[@]}"; do
        args+=(--listen "$(backbone "$r" "$x" "$b"):7443" --to "$(frontend "$x" "$b"):7443")
        args+=(--listen "$(backbone "$r" "$x" "$b"):7490" --to "$(frontend "$x" "$b"):7490")
        if [ "${BREGION[$b]}" = "$x" ]; then
          args+=(--listen "$(backbone "$r" "$x" "$b"):7444" --to "$(broker_addr "$b"):7444")
        fi
      done
        start "delay-$r-$x" wan "${SB[@]}" delay --delay "${half}ms" --source "$(wan_addr "$x")" "${args[@]}"
    done
  done
  for r in "${REGIONS[@]}"; do
    start "lb-$r" "lb-$r" "${SB[@]}" lb run --threads 1 --config "$STATE/hosts/lb-$r/etc/switchboard/lb.yaml"
    start "pop-$r" "pop-$r" "${SB[@]}" lb run --threads 1 --config "$STATE/hosts/pop-$r/etc/switchboard/lb.yaml"
  done
  for b in "${BROKERS[@]}"; do
    start "$b" "$b" "${SB[@]}" broker --config "$STATE/hosts/$b/etc/switchboard/broker.yaml"
  done
  if [ "$DNS_FOLLOW" = 1 ]; then
    start dns-follow dns "$here/dns-follow.sh" "$STATE/hosts/dns/etc/switchboard" \
      "$STATE/run/dnsmasq.dnsmasq-pid"
  fi
}

http() { # http HOST URL: the status code, as seen from HOST's namespace
  ip netns exec "$(ns "$1")" curl -s -o /dev/null -m 2 -w '%{http_code}' "$2" || true
}

ready() { # what is not ready yet, one line each
  local b r
  for b in "${BROKERS[@]}"; do
    [ "$(http "$b" "http://$(broker_addr "$b"):7480/healthz")" = 200 ] || echo "broker $b"
    ip netns exec "$(ns "$b")" curl -s -m 2 "http://$(broker_addr "$b"):7480/metrics" \
      | grep -q '^switchboard_mesh_peer_up{.*} 0' && echo "mesh links of $b"
    r="${BREGION[$b]}"
    [ "$(http "lb-$r" "http://$(lb_addr "$r"):7490/rules/r-$b/health")" = 200 ] \
      || echo "region $r's lb has no healthy $b"
    for x in "${REGIONS[@]}"; do
      [ "$(http "pop-$x" "http://$(pop_addr "$x"):7490/rules/g-$b/health")" = 200 ] \
        || echo "POP $x cannot route $(host_of "$b")"
    done
  done
  for r in "${REGIONS[@]}"; do
    ip netns exec "$(ns "cli-$r")" getent hosts "$(host_of "${BROKERS[0]}")" >/dev/null \
      || echo "DNS from cli-$r"
  done
}

up() {
  if [ -e "$STATE/namespaces" ]; then
    say "$STATE/namespaces exists: run '$0 down --prefix $P --state $STATE' first"
    exit 3
  fi
  mkdir -p "$STATE/run" "$STATE/log"
  trap 'say "failed; cleaning up"; down' ERR
  build_network
  pki
  configure
  run_all
  local end=$((SECONDS + ${SEED_READY_TIMEOUT:-120})) missing
  while missing="$(ready)"; [ -n "$missing" ]; do
    if [ $SECONDS -ge $end ]; then
      say "not ready after ${SEED_READY_TIMEOUT:-120} s: $(echo "$missing" | paste -sd ';')"
      false
    fi
    sleep 1
  done
  trap - ERR
  say "ready: $(wc -l <"$STATE/namespaces") namespaces, state and logs in $STATE"
  say "clients: ip netns exec $(ns cli-us) switchboard controller --broker $(host_of broker-us-1):7443 ... (docs/deploy.md)"
}

down() {
  local f pid
  for f in "$STATE"/run/*.pid; do
    [ -e "$f" ] || continue
    pid="$(cat "$f")"
    kill "$pid" 2>/dev/null || true
  done
  for f in "$STATE"/run/*.pid; do
    [ -e "$f" ] || continue
    pid="$(cat "$f")"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$f"
  done
  if [ -e "$STATE/namespaces" ]; then
    while read -r n; do ip netns del "$n" 2>/dev/null || true; done <"$STATE/namespaces"
    rm -f "$STATE/namespaces"
  fi
  if [ -e "$STATE/netns-etc" ]; then
    while read -r d; do rm -rf "$d"; done <"$STATE/netns-etc"
    rm -f "$STATE/netns-etc"
  fi
}

case "$action" in
  up) up ;;
  down) down; say "down: $P" ;;
  *) echo "usage: $0 up|down [--prefix P] [--state DIR]" >&2; exit 2 ;;
esac
