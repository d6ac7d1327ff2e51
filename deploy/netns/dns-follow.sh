#!/usr/bin/env bash
# Health-following DNS (the seed's Traffic-Manager-style option; docs/deploy.md): every
# DNS_FOLLOW_INTERVAL (default 1s) asks each broker's regional lb whether the broker's rule has a
# healthy backend (GET /rules/r-ID/health: 200 or 503). A hostname whose rule does not is answered
# with the address of a healthy broker of its own region; when none is, with its own address (the
# POPs then send it to another region). dnsmasq re-reads the hosts file on SIGHUP; answers carry
# dnsmasq's local-ttl. Writes hosts, dns-follow.prom (Prometheus textfile format) and a log line
# per change.
#   dns-follow.sh DIR PIDFILE   DIR holds hosts and brokers.tsv (hostname, address, region, URL)
set -uo pipefail
dir="$1"
pidfile="$2"
interval="${DNS_FOLLOW_INTERVAL:-1}"
changes=0
mapfile -t rows <"$dir/brokers.tsv"
while true; do
  declare -A healthy=() addr=() region=()
  for row in "${rows[@]}"; do
    IFS=$'\t' read -r host ip reg url <<<"$row"
    addr[$host]="$ip"
    region[$host]="$reg"
    code="$(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://$url" || true)"
    [ "$code" = 200 ] && healthy[$host]=1
  done
  next=""
  prom="# HELP switchboard_dns_answer_healthy 1 when the hostname is answered with its own address\n"
  prom+="# TYPE switchboard_dns_answer_healthy gauge\n"
  for row in "${rows[@]}"; do
    IFS=$'\t' read -r host _ <<<"$row"
    answer="${addr[$host]}"
    own=1
    if [ -z "${healthy[$host]:-}" ]; then
      own=0
      for other in "${!addr[@]}"; do
        if [ "${region[$other]}" = "${region[$host]}" ] && [ -n "${healthy[$other]:-}" ]; then
          answer="${addr[$other]}"
          break
        fi
      done
    fi
    next+="$answer $host"$'\n'
    prom+="switchboard_dns_answer_healthy{hostname=\"$host\"} $own\n"
  done
  if [ "$next" != "$(cat "$dir/hosts")"$'\n' ]; then
    printf '%s' "$next" >"$dir/hosts.new" && mv "$dir/hosts.new" "$dir/hosts"
    kill -HUP "$(cat "$pidfile")" 2>/dev/null || true
    changes=$((changes + 1))
    echo "dns-follow: $(date -u +%FT%TZ) answers now: $(echo "${next%$'\n'}" | paste -sd ',')"
  fi
  prom+="# HELP switchboard_dns_changes_total times the answers changed\n"
  prom+="# TYPE switchboard_dns_changes_total counter\nswitchboard_dns_changes_total $changes\n"
  printf "$prom" >"$dir/dns-follow.prom.new" && mv "$dir/dns-follow.prom.new" "$dir/dns-follow.prom"
  unset healthy addr region
  sleep "$interval"
done
