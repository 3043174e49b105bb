# Run by scripts/insn-profile.sh inside gdb, attached to QEMU's gdb stub:
# single-step system call PROFILE_NR from its entry until the CPU is back
# in user space, PROFILE_CALLS times, and print for the last call how many
# instructions each kernel function executed, by itself (self) and with
# what it called (total).  QEMU steps with interrupts off, so only the
# call's own instructions are counted, one per iteration of a rep prefix,
# as -icount counts them.
import collections
import os

import gdb

USER_TOP = 0x8000000000000000


def symbol(pc, cache={}):
    """The function holding @pc, from vmlinux's symbol table."""
    if pc not in cache:
        out = gdb.execute("info symbol %#x" % pc, to_string=True)
        cache[pc] = out.split()[0] if " in section " in out else "%#x" % pc
    return cache[pc]


def kind(pc, arch, cache={}):
    """'call', 'ret' or '' for the instruction at @pc."""
    if pc not in cache:
        asm = arch.disassemble(pc)[0]["asm"].split()
        op = asm[0] if asm else ""
        cache[pc] = "call" if op.startswith("call") else \
            "ret" if op.startswith("ret") else ""
    return cache[pc]


def follow_call():
    """Step one system call; per function: (self, total) instructions."""
    frame = gdb.selected_frame()
    arch = frame.architecture()
    own = collections.Counter()
    total = collections.Counter()
    stack = []
    last = ""
    pc = frame.pc()
    while pc >= USER_TOP:
        fn = symbol(pc)
        if not stack or last == "call":
            stack.append(fn)
        elif last == "ret" and len(stack) > 1:
            stack.pop()
            stack[-1] = fn
        else:
            stack[-1] = fn      # a jump, or a tail call
        own[fn] += 1
        for f in set(stack):
            total[f] += 1
        last = kind(pc, arch)
        gdb.execute("stepi", to_string=True)
        pc = gdb.selected_frame().pc()
    return own, total


def main():
    nr = int(os.environ["PROFILE_NR"])
    calls = int(os.environ.get("PROFILE_CALLS", "3"))
    gdb.execute("set pagination off")
    gdb.execute("target remote 127.0.0.1:%s" % os.environ["PROFILE_PORT"])
    bp = gdb.Breakpoint("entry_SYSCALL_64", internal=True)
    bp.condition = "$rax == %d" % nr
    for i in range(calls):
        gdb.execute("continue", to_string=True)
        own, total = follow_call()
        print("call %d: %d instructions" % (i + 1, sum(own.values())))
    print("\n%8s %8s  function (the last call)" % ("self", "total"))
    for fn, n in total.most_common():
        print("%8d %8d  %s" % (own[fn], n, fn))
    gdb.execute("kill")


main()
