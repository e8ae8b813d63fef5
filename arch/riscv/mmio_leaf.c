/* The shortest device path: a plain register of the guest's UART
 * (vdev_uart_plain()) read or written by a 32-bit load or store. The trap
 * vector calls this leaf with the caller-saved registers saved, the
 * instruction at sepc read and the trap CSRs as arguments (they are not in
 * av yet), on the guest's sp, gp and tp: it calls nothing and touches no
 * sp, gp, tp or s-register (mk/hv.mk checks). Any other access it
 * declines, and the vector goes on to trap_mmio_fast(), which runs the
 * slow path's mmio(). Each rule it applies is one of mmio()'s
 * (trap_mmio.h, insn_decode.h, and vdev.h through core_services.h), and a
 * plain access leaves the UART's interrupt line alone, so no request can
 * be waiting because of it. */
#include "arch_vcpu.h"
#include "core_services.h"
#include "csr.h"
#include "insn_decode.h"
#include "trap.h"
#include "trap_mmio.h"

long mmio_leaf(struct arch_vcpu *av, long insn, uint64_t stval, uint64_t htval, uint64_t htinst,
	       uint64_t hstatus, uint64_t scause)
{
	bool store = scause == EXC_STORE_GUEST_PAGE_FAULT;
	struct vcpu *v = av->vcpu;
	struct insn_mem m;
	uint64_t start, val;
	unsigned off;

	/* Known to be the guest's own access without a walk of its table
	 * (htinst, when the hart gives it, mmio() decodes). */
	if (htinst || mmio_explicit(htinst, hstatus) != 1 || insn < 0)
		return MMIO_SLOW;
	/* The UART, before the decode: the other devices' accesses leave at
	 * once. */
	if (!vdev_uart_reg(v->vm, mmio_fault_gpa(htval, stval), &off))
		return MMIO_SLOW;
	/* A 32-bit load or store: insn_decode_32() checks the whole opcode,
	 * whose low bits are 11 in the 32-bit forms only. */
	if (insn_decode_32((uint32_t)insn, &m) || m.store != store)
		return MMIO_SLOW;
	/* An s-register: the vector saves them before trap_mmio_fast(), which
	 * then need not find out again. sp, gp and tp are not in av yet. */
	uint32_t named = 1u << m.base | 1u << m.reg;
	if (named & ~AV_CALLER_SAVED_REGS)
		return MMIO_ALL_REGS;
	if (named & AV_SP_GP_TP)
		return MMIO_SLOW;
	start = av->gpr[m.base] + (uint64_t)m.imm; /* gpr[0] is always 0 */
	/* Misaligned: mmio() hands the guest the exception. */
	if (!mmio_whole(start, stval, m.width))
		return MMIO_SLOW;
	val = store ? av->gpr[m.reg] : 0;
	if (!vdev_uart_plain(v->vm, off, store, &val))
		return MMIO_SLOW;
	if (!store && m.reg)
		av->gpr[m.reg] = insn_load_value(val, m.width, m.sign_extend);
	av->sepc = csr_read(sepc) + m.len; /* the read did not fault: as trapped */
	v->stats.traps[VCPU_TRAP_MMIO]++;
	return MMIO_DONE;
}
