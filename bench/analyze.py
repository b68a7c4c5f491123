#!/usr/bin/env python3
"""Analyse a loopback pcap of the RTP Hotline sent during a benchmark (stdlib only).

usage: analyze.py CAPTURE.pcap RTP_FIRST RTP_LAST
Prints one JSON object: per-SSRC inter-packet deviation from 20 ms (p50, p99, worst, ms),
sequence gaps (lost packets), packet and stream counts.
"""
import json, struct, sys

def packets(path):
    with open(path, 'rb') as f:
        magic = f.read(4)
        if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
            endian = '<'
        elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
            endian = '>'
        else:
            sys.exit('not a classic pcap file (use tshark -F pcap)')
        nano = magic in (b'\x4d\x3c\xb2\xa1', b'\xa1\xb2\x3c\x4d')
        hdr = f.read(20)
        linktype = struct.unpack(endian + 'IIIII', hdr)[4]
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            sec, frac, incl, _ = struct.unpack(endian + 'IIII', rec)
            data = f.read(incl)
            t = sec + frac / (1e9 if nano else 1e6)
            off = {1: 14, 113: 16, 276: 20, 0: 4}.get(linktype)
            if off is None:
                sys.exit(f'unsupported link type {linktype}')
            yield t, data[off:]

def main():
    path, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    streams = {}
    for t, ip in packets(path):
        if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 17:
            continue
        ihl = (ip[0] & 0x0f) * 4
        udp = ip[ihl:]
        if len(udp) < 8 + 12:
            continue
        sport = struct.unpack('>H', udp[0:2])[0]
        if not (first <= sport <= last) or sport % 2:
            continue
        rtp = udp[8:]
        if rtp[0] >> 6 != 2:
            continue
        seq, = struct.unpack('>H', rtp[2:4])
        ssrc, = struct.unpack('>I', rtp[8:12])
        streams.setdefault(ssrc, []).append((t, seq))
    devs, lost, total = [], 0, 0
    for ssrc, pk in streams.items():
        total += len(pk)
        for (t0, s0), (t1, s1) in zip(pk, pk[1:]):
            step = (s1 - s0) & 0xffff
            if 1 < step < 1000:
                lost += step - 1
            if step == 1:
                devs.append(abs((t1 - t0) * 1000.0 - 20.0))
    devs.sort()
    q = lambda p: round(devs[min(len(devs) - 1, int(p * len(devs)))], 3) if devs else None
    print(json.dumps({'streams': len(streams), 'packets': total, 'lost': lost,
                      'dev_p50_ms': q(0.50), 'dev_p99_ms': q(0.99),
                      'dev_worst_ms': round(devs[-1], 3) if devs else None}))

if __name__ == '__main__':
    main()
