#!/usr/bin/env python3
"""Runs a program under the kernel's memory-deny-write-execute (prctl PR_SET_MDWE, Linux 6.3+), which systemd's
MemoryDenyWriteExecute= uses when available: no mapping may become executable after being writable. The setting
survives execve, so it applies to the program. Usage: mdwe-exec.py PROGRAM [ARGS...]"""
import ctypes
import os
import sys

PR_SET_MDWE = 65
PR_MDWE_REFUSE_EXEC_GAIN = 1

libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0:
    sys.exit(f"mdwe-exec: prctl(PR_SET_MDWE) failed: {os.strerror(ctypes.get_errno())} (needs Linux 6.3+)")
os.execv(sys.argv[1], sys.argv[1:])
