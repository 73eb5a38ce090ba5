/* Temporary: calls not written yet. */
#include "internal.h"
long sys_mremap(struct mm *mm, unsigned long addr, unsigned long old_len,
		unsigned long new_len, unsigned long flags, unsigned long new_addr)
{ (void)mm; (void)addr; (void)old_len; (void)new_len; (void)flags; (void)new_addr; return -ENOSYS; }
long sys_madvise(struct mm *mm, unsigned long s, unsigned long l, unsigned long a)
{ (void)mm; (void)s; (void)l; (void)a; return -ENOSYS; }
long sys_mlock2(struct mm *mm, unsigned long s, unsigned long l, unsigned long f)
{ (void)mm; (void)s; (void)l; (void)f; return -ENOSYS; }
long sys_munlock(struct mm *mm, unsigned long s, unsigned long l)
{ (void)mm; (void)s; (void)l; return -ENOSYS; }
long sys_mlockall(struct mm *mm, unsigned long f) { (void)mm; (void)f; return -ENOSYS; }
long sys_munlockall(struct mm *mm) { (void)mm; return -ENOSYS; }
long sys_msync(struct mm *mm, unsigned long s, unsigned long l, unsigned long f)
{ (void)mm; (void)s; (void)l; (void)f; return -ENOSYS; }
long sys_mincore(struct mm *mm, unsigned long s, unsigned long l, unsigned char *v)
{ (void)mm; (void)s; (void)l; (void)v; return -ENOSYS; }
