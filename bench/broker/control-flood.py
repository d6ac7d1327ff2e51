#!/usr/bin/env python3
# Control-phase flood (issue 12, item 1): an authenticated controller sends HELLO, then PING frames
# without ever reading the replies, while this script samples the broker's RSS.
# Usage, from a directory with pki/ (ca.pem, alice.pem, alice-key.pem) and a broker on 127.0.0.1:17443:
#   python3 control-flood.py BROKER_PID BYTES
import ssl, socket, struct, time, sys
pid = int(sys.argv[1]); total = int(sys.argv[2])
def rss(): 
    for l in open(f'/proc/{pid}/status'):
        if l.startswith('VmRSS'): return int(l.split()[1])//1024
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.minimum_version = ssl.TLSVersion.TLSv1_3
ctx.load_verify_locations('pki/ca.pem'); ctx.load_cert_chain('pki/alice.pem', 'pki/alice-key.pem')
s = ctx.wrap_socket(socket.create_connection(('127.0.0.1', 17443)), server_hostname='localhost')
def frame(t, payload): return struct.pack('>BH', t, len(payload)) + payload
sw = b'flood'
s.sendall(frame(0x01, struct.pack('>HHH', 1, 1, len(sw)) + sw))
ping = frame(0x03, struct.pack('>Q', 7))
chunk = ping * (65536 // len(ping))
print('rss before MiB', rss()); sent = 0; t0 = time.time(); peak = rss()
s.settimeout(30)
try:
    while sent < total:
        s.sendall(chunk); sent += len(chunk)
        if sent % (1 << 20) < len(chunk): peak = max(peak, rss())
except Exception as e:
    print('flood stopped:', type(e).__name__, e)
for _ in range(10):
    peak = max(peak, rss()); time.sleep(0.3)
print(f'sent {sent/2**20:.1f} MiB in {time.time()-t0:.1f}s; broker rss peak MiB {peak}; now {rss()}')
