#!/usr/bin/env python3
"""Helpers for bench/chain/run.sh (loopback only).

  tools.py sink PORT             serve each connection by its first byte: 'P' read to EOF and
                                 answer the count; 'B' + 20 digits N: also send N bytes back, then
                                 the count received
  tools.py push PORT N           send N bytes, print seconds until the sink's count came back
  tools.py bidi PORT N           send and receive N bytes at once, print seconds until both done
  tools.py multi N PORT...       one push of N bytes to each port at once, print seconds for all
  tools.py cpu PID...            print utime+stime (+ reaped children's) in seconds, one per pid
  tools.py run-cpu FILE CMD...   run CMD, then write its (and its children's) CPU seconds to FILE
"""
import os
import resource
import socket
import subprocess
import sys
import threading
import time

CHUNK = 1 << 20
ZEROS = memoryview(bytes(CHUNK))


def send_zeros(s, n):
    while n > 0:
        k = min(n, CHUNK)
        s.sendall(ZEROS[:k])
        n -= k


def read_all(s):
    """Reads to EOF; returns the byte count and the last 32 bytes."""
    n, tail, buf = 0, b"", bytearray(CHUNK)
    while True:
        k = s.recv_into(buf)
        if k == 0:
            return n, tail
        n += k
        tail = (tail + bytes(buf[max(0, k - 32) : k]))[-32:]


def read_exact(s, n):
    out = b""
    while len(out) < n:
        b = s.recv(n - len(out))
        if not b:
            raise EOFError("short read")
        out += b
    return out


def serve(c):
    try:
        mode = read_exact(c, 1)
        if mode == b"B":
            n = int(read_exact(c, 20))
            t = threading.Thread(target=send_zeros, args=(c, n))
            t.start()
            got, _ = read_all(c)
            t.join()
        else:
            got, _ = read_all(c)
        c.sendall(b"%d\n" % got)
    except (OSError, EOFError):
        pass
    finally:
        c.close()


def sink(port):
    srv = socket.create_server(("127.0.0.1", port), backlog=64)
    while True:
        c, _ = srv.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


def push(port, n):
    t0 = time.monotonic()
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"P")
    send_zeros(s, n)
    s.shutdown(socket.SHUT_WR)
    got, tail = read_all(s)
    dt = time.monotonic() - t0
    if tail.strip() != b"%d" % n:
        sys.exit("port %d: sink counted %r, sent %d" % (port, tail, n))
    return dt


def bidi(port, n):
    t0 = time.monotonic()
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"B%020d" % n)

    def writer():
        send_zeros(s, n)
        s.shutdown(socket.SHUT_WR)

    t = threading.Thread(target=writer)
    t.start()
    got, tail = read_all(s)
    t.join()
    dt = time.monotonic() - t0
    count = tail.lstrip(b"\0").strip()
    if got != n + len(count) + 1 or count != b"%d" % n:
        sys.exit("port %d: received %d (count %r), expected %d + count" % (port, got, count, n))
    return dt


def multi(n, ports):
    errors = []

    def one(p):
        try:
            push(p, n)
        except BaseException as e:  # noqa: B036 - sys.exit in a thread must fail the run
            errors.append("%d: %s" % (p, e))

    t0 = time.monotonic()
    ts = [threading.Thread(target=one, args=(p,)) for p in ports]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors:
        sys.exit("; ".join(errors))
    return time.monotonic() - t0


def cpu(pid):
    try:
        with open("/proc/%s/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return float("nan")
    # fields[0] is field 3 (state): utime, stime, cutime, cstime are fields 14..17
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def run_cpu(path, cmd):
    rc = subprocess.call(cmd)
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(path, "w") as f:
        f.write("%.3f\n" % (ru.ru_utime + ru.ru_stime))
    sys.exit(rc)


if __name__ == "__main__":
    cmd, a = sys.argv[1], sys.argv[2:]
    if cmd == "sink":
        sink(int(a[0]))
    elif cmd == "push":
        print("%.4f" % push(int(a[0]), int(a[1])))
    elif cmd == "bidi":
        print("%.4f" % bidi(int(a[0]), int(a[1])))
    elif cmd == "multi":
        print("%.4f" % multi(int(a[0]), [int(p) for p in a[1:]]))
    elif cmd == "cpu":
        print(" ".join("%.2f" % cpu(p) for p in a))
    elif cmd == "run-cpu":
        run_cpu(a[0], a[1:])
    else:
        sys.exit(__doc__)
