/*
 * mprotect.c — changing the access rights of a range (Linux's mm/mprotect.c).
 *
 * Each VMA in the range is given the new rights with vma_modify_flags, which
 * merges it with a neighbour that now matches or splits it at the range's
 * edges.  A VMA may only gain a right its VM_MAY* twin allows (a shared
 * mapping of a read-only file never becomes writable).  The walk stops at
 * the first hole with ENOMEM, leaving the VMAs before it changed — as Linux
 * does.
 *
 * Accounting: making private memory writable charges it (VM_ACCOUNT); the
 * charge is only returned for anonymous memory never populated.
 */
#include <sys/mman.h>
#include "internal.h"

#ifndef PROT_SEM
#define PROT_SEM 0x8
#endif

static unsigned long prot_to_vm(unsigned long prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

/* Give [start, end) of @vma the flags @newflags (mprotect_fixup). */
static int mprotect_fixup(struct mm *mm, struct vma **pvma, unsigned long start,
			  unsigned long end, unsigned long newflags)
{
	struct vma *vma = *pvma;
	unsigned long oldflags = vma->vm_flags;
	unsigned long nrpages = (end - start) >> PAGE_SHIFT;
	int err;

	if (newflags == oldflags)
		return 0;
	if (newflags & VM_WRITE) {
		if (!may_expand_vm(mm, newflags, nrpages) &&
		    may_expand_vm(mm, oldflags, nrpages))
			return -ENOMEM;
		if (!(oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB | VM_SHARED |
				  VM_NORESERVE))) {
			if (!vm_enough_memory(mm, nrpages))
				return -ENOMEM;
			newflags |= VM_ACCOUNT;
		}
	} else if ((oldflags & VM_ACCOUNT) && vma_is_anonymous(vma) &&
		   !vma->anon_vma) {
		newflags &= ~VM_ACCOUNT;
	}
	err = vma_modify_flags(mm, vma, start, end, &newflags, &vma);
	if (err) {
		mm->allow_unmerged = true;  /* a split that failed half-way stays */
		return err;
	}
	*pvma = vma;
	vma->vm_flags = newflags;
	if (mm->phys)
		change_protection(mm, vma, start, end, newflags);
	if ((oldflags & (VM_WRITE | VM_SHARED | VM_LOCKED)) == VM_LOCKED &&
	    (newflags & VM_WRITE))
		mm_populate(mm, start, end - start);
	vm_stat_account(mm, oldflags, -(long)nrpages);
	vm_stat_account(mm, newflags, nrpages);
	return 0;
}

long sys_mprotect(struct mm *mm, unsigned long start, unsigned long len,
		  unsigned long prot)
{
	unsigned long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
	unsigned long end, nstart, tmp, newflags;
	struct vma *vma;
	long err;

	prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (offset_in_page(start))
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;
	vma = find_vma_intersection(mm, start, end);
	if (!vma)
		return -ENOMEM;
	if (grows & PROT_GROWSDOWN) {
		start = vma->vm_start;
		if (!(vma->vm_flags & VM_GROWSDOWN))
			return -EINVAL;
	} else {
		if (vma->vm_start > start)
			return -ENOMEM;
		if (grows & PROT_GROWSUP)
			return -EINVAL;  /* no VM_GROWSUP on x86 */
	}
	err = 0;
	nstart = start;
	tmp = vma->vm_start;
	for (; vma && vma->vm_start < end; vma = vma->next) {
		if (vma->vm_start != tmp) {
			err = -ENOMEM;
			break;
		}
		newflags = prot_to_vm(prot) | (vma->vm_flags & ~VM_ACCESS_FLAGS);
		/* A right may only be added where its VM_MAY* twin allows. */
		if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS) {
			err = -EACCES;
			break;
		}
		tmp = um_min(vma->vm_end, end);
		err = mprotect_fixup(mm, &vma, nstart, tmp, newflags);
		if (err)
			break;
		tmp = vma->vm_end;
		nstart = tmp;
	}
	if (!err && tmp < end)
		err = -ENOMEM;
	return err;
}
