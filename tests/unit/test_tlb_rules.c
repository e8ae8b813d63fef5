/* Unit tests of the VMID and TLB-flush rules (arch/riscv/tlb_rules.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tlb_rules.h"

/* Stand-ins for VMs and vCPUs: only their addresses matter. */
static int vm1, vm2, a, c;

/* Each guest gets index + 1 while the tags last; past that, all share 0. */
static void vmids(void **state)
{
	(void)state;
	assert_int_equal(tlb_vmid(0, 3, 14), 1);
	assert_int_equal(tlb_vmid(2, 3, 14), 3);
	assert_false(tlb_vmids_shared(3, 14));
	/* 2 bits: tags 1..3, so three guests fit and four do not. */
	assert_false(tlb_vmids_shared(3, 2));
	assert_int_equal(tlb_vmid(2, 3, 2), 3);
	assert_true(tlb_vmids_shared(4, 2));
	assert_int_equal(tlb_vmid(0, 4, 2), 0);
	assert_int_equal(tlb_vmid(3, 4, 2), 0);
	/* No VMID bits at all (VMIDLEN 0): even one guest shares tag 0. */
	assert_true(tlb_vmids_shared(1, 0));
	assert_int_equal(tlb_vmid(0, 1, 0), 0);
}

/* vm1.A, vm2.x, vm1.C on one hart: C must not see what A left. */
static void other_vcpu_of_same_vm_flushes(void **state)
{
	(void)state;
	assert_int_equal(tlb_switch_flush(&vm1, &vm1, &a, &c, false), TLB_FLUSH_VVMA);
	assert_int_equal(tlb_switch_flush(&vm2, &vm1, &a, &c, false), TLB_FLUSH_VVMA);
	/* The same vCPU back after another VM ran: its entries are its own. */
	assert_int_equal(tlb_switch_flush(&vm2, &vm1, &a, &a, false), 0);
	/* First vCPU of its VM here since reset: nothing of the VM is cached. */
	assert_int_equal(tlb_switch_flush(&vm2, &vm1, NULL, &c, false), 0);
}

/* Shared tags: every change of VM flushes all, whatever ran before. */
static void shared_tags_flush_on_vm_change(void **state)
{
	(void)state;
	assert_int_equal(tlb_switch_flush(&vm2, &vm1, &a, &a, true),
			 TLB_FLUSH_GVMA | TLB_FLUSH_VVMA);
	assert_int_equal(tlb_switch_flush(NULL, &vm1, NULL, &a, true),
			 TLB_FLUSH_GVMA | TLB_FLUSH_VVMA);
	assert_int_equal(tlb_switch_flush(&vm1, &vm1, &a, &a, true), 0);
	assert_int_equal(tlb_switch_flush(&vm1, &vm1, &a, &c, true), TLB_FLUSH_VVMA);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(vmids),
	    cmocka_unit_test(other_vcpu_of_same_vm_flushes),
	    cmocka_unit_test(shared_tags_flush_on_vm_change),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
