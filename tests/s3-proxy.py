#!/usr/bin/python3 -I
"""tests/s3-proxy.py: network faults for the S3 tests, on 127.0.0.1.

  s3-proxy.py PORTFILE proxy TARGET_PORT [--cut-after N] [--hold-after N HELD GO]
  s3-proxy.py PORTFILE redirect REGION

Prints the port it listens on into PORTFILE (written atomically once it
listens), then serves until killed.

proxy: a TCP relay to 127.0.0.1:TARGET_PORT (the local S3 server).
  --cut-after N   the first connection that carries more than N bytes from
                  the client is reset in the middle (once): an upload cut
                  short, as by a dropped link (CASES C42).
  --hold-after N HELD GO
                  once the clients sent N bytes in all, every connection
                  stops relaying; the file HELD is created; relaying goes on
                  only once the file GO exists (so a test can stop the
                  server, or kill cairn, at a known point of a push).
redirect: a stub S3 that answers every request with 301 PermanentRedirect,
  an x-amz-bucket-region: REGION header and an empty body, as S3 does for a
  bucket in another region (CASES C17).
skew SECONDS: a stub S3 whose clock runs SECONDS behind: a listing holds one
  object (sha256/ab/ then "cd" repeated) written 10 minutes ago by that
  clock, with the Date header by that clock too.
"""
import email.utils
import http.server
import os
import socket
import struct
import sys
import threading
import time
import urllib.parse

lock = threading.Lock()
state = {"sent": 0, "cut_done": False}


def publish_port(path, port):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, path)


def reset(sock):
    try:  # SO_LINGER 0: close with a RST, like a dead peer
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


def relay(src, dst, upstream, opts, conn):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if upstream:
                with lock:
                    state["sent"] += len(data)
                    conn["sent"] += len(data)
                    cut = (opts["cut"] is not None and not state["cut_done"]
                           and conn["sent"] > opts["cut"])
                    if cut:
                        state["cut_done"] = True
                    hold = opts["hold"] is not None and state["sent"] > opts["hold"]
                if cut:
                    reset(src)
                    reset(dst)
                    return
                if hold:
                    if not os.path.exists(opts["held"]):
                        open(opts["held"], "w").close()
                    while not os.path.exists(opts["go"]):
                        time.sleep(0.05)
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def proxy(portfile, target, opts):
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(64)
    publish_port(portfile, ls.getsockname()[1])
    while True:
        c, _ = ls.accept()
        try:
            s = socket.create_connection(("127.0.0.1", target))
        except OSError:
            reset(c)
            continue
        conn = {"sent": 0}
        threading.Thread(target=relay, args=(c, s, True, opts, conn), daemon=True).start()
        threading.Thread(target=relay, args=(s, c, False, opts, conn), daemon=True).start()


class Redirect(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    region = "eu-west-1"

    def answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        while n > 0:  # read the body so the client is not cut off
            chunk = self.rfile.read(min(n, 65536))
            if not chunk:
                break
            n -= len(chunk)
        self.send_response(301)
        self.send_header("x-amz-bucket-region", self.region)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = answer

    def log_message(self, *args):
        pass


class Skew(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    skew = 0

    def do_GET(self):
        now = time.time() - self.skew
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        key = q.get("prefix", [""])[0].split("sha256/")[0] + "sha256/ab/" + "cd" * 31
        when = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(now - 600))
        body = ('<?xml version="1.0" encoding="UTF-8"?>'
                '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
                '<IsTruncated>false</IsTruncated><Contents><Key>%s</Key>'
                '<LastModified>%s</LastModified><Size>1</Size></Contents>'
                '</ListBucketResult>' % (key, when)).encode()
        self.send_response_only(200)
        self.send_header("Date", email.utils.formatdate(now, usegmt=True))
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    portfile, mode = sys.argv[1], sys.argv[2]
    if mode == "redirect":
        Redirect.region = sys.argv[3]
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
        publish_port(portfile, srv.server_address[1])
        srv.serve_forever()
    if mode == "skew":
        Skew.skew = int(sys.argv[3])
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Skew)
        publish_port(portfile, srv.server_address[1])
        srv.serve_forever()
    opts = {"cut": None, "hold": None, "held": None, "go": None}
    args = sys.argv[4:]
    while args:
        if args[0] == "--cut-after":
            opts["cut"], args = int(args[1]), args[2:]
        elif args[0] == "--hold-after":
            opts["hold"], opts["held"], opts["go"] = int(args[1]), args[2], args[3]
            args = args[4:]
        else:
            sys.exit("s3-proxy: unknown option " + args[0])
    proxy(portfile, int(sys.argv[3]), opts)


main()
