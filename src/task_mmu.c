/*
 * task_mmu.c — the views of an address space, byte for byte as Linux's
 * fs/proc/task_mmu.c prints them: /proc/PID/maps, smaps, smaps_rollup and
 * the memory lines of /proc/PID/status.
 *
 * maps.  A line is
 *   start-end perms offset major:minor inode[ padding name]
 * with addresses in lower-case hex of at least 8 digits, the name starting
 * at column 74 (the fields are padded to 73 characters), and a lone trailing
 * space when there is no name.  Names, in Linux's order of precedence:
 * special mappings ([vdso], [vvar]...), the file's path, [heap] for a VMA
 * overlapping the brk area, [stack] for the VMA holding the initial stack
 * pointer.  The gate area [vsyscall] comes last, outside the VMA list.
 *
 * smaps.  Per VMA its maps line, then "Label:" padded to 16 columns, the
 * value in kB right-aligned in 8 (Private_Hugetlb: 17 and 7), " kB";
 * THPeligible and VmFlags close the entry.  The figures come from one walk
 * of the VMA's page-table entries (smaps_pte_entry in Linux):
 *
 *   1. Only normal pages count: the zero page is never in Rss (Linux's
 *      vm_normal_page skips it), nor is anything in a VM_PFNMAP VMA.
 *   2. A page is shared when more than one entry maps it (mapcount >= 2,
 *      every process's entries counted); its Pss share is PAGE_SIZE /
 *      mapcount, summed in fixed point (12 bits) and shifted down once at
 *      the end, so rounding is Linux's.
 *   3. Dirty: the entry's dirty bit or the page's PG_DIRTY.  For a page of
 *      a file on disk only PG_DIRTY: Linux's writeback cleans the entries
 *      (folio_mkclean) when it cleans the page, so an entry is never dirty
 *      over a clean file page there; our writeback leaves entries alone.
 *   4. Referenced: the entry's accessed bit (fork's copies start old), or
 *      the page's PG_REFERENCED (populate touched it, as GUP does).
 *   5. Anonymous: PG_ANON pages, the COW copies in private file VMAs too.
 *   6. Locked: the Pss of VMAs with VM_LOCKED.
 *   7. LazyFree: anonymous pages MADV_FREE marked (PG_LAZYFREE) whose entry
 *      and page are clean (a store since takes a page out).  Linux marks
 *      them when its per-CPU lru_lazyfree batch drains; usermm at once.
 *      KSM, huge pages, swap: none are modelled, so 0.
 *   8. THPeligible: an anonymous VMA, not special, not VM_NOHUGEPAGE, THP
 *      built in and the host's mode "always" (or "madvise" with
 *      VM_HUGEPAGE), holding one whole aligned 2 MiB range.
 *   9. No ProtectionKey line: the kernel prints it only when the CPU has
 *      protection keys and usermm does not model them.
 *  10. VmFlags: two letters per flag bit in bit order (bit 11 is 6.18's
 *      VM_MAYBE_GUARD, "gu", set by MADV_GUARD_INSTALL); VM_SOFTDIRTY is not
 *      shown (CONFIG_MEM_SOFT_DIRTY is off on the reference kernel, where
 *      the flag is 0), protection-key bits never are, unknown bits are "??".
 *
 * smaps_rollup: the same sums over every VMA (not [vsyscall]), headed by a
 * "---p" line from the first VMA's start to the last one's end named
 * [rollup], with Pss_Anon/Pss_File/Pss_Shmem after Pss_Dirty.
 *
 * status: VmPeak, VmSize, VmLck, VmPin, VmHWM, VmRSS, RssAnon, RssFile,
 * RssShmem, VmData, VmStk, VmExe, VmLib, VmPTE, VmSwap, HugetlbPages, each
 * "Name:\t%8lu kB".  VmPeak and VmHWM are max(high-water mark, current)
 * (mm_types.h); the marks rise just before total_vm or the rss drops, as
 * in Linux, except that mremap's move puts VmPeak's back (Linux does not
 * count the moment both ranges exist).  Our VmHWM is the exact peak; the
 * kernel raises its mark from the per-CPU rss counters' folded total,
 * which lags, so its VmHWM can be lower (usermm diff leaves it out).  No
 * process image is modelled, so VmExe is 0 and VmLib all of exec_vm.  VmPTE counts table pages below the root, as Linux does
 * not count the PGD; our tables are freed only at exit, Linux's also when
 * a whole table's range is unmapped.
 *
 * Every function writes through struct out: snprintf-like (the length is
 * counted even when the buffer is full) and never fails.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/sysmacros.h>
#include "internal.h"
#include "page.h"

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - o->len;

		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static size_t out_end(struct out *o);

/* The file's current path as the kernel prints it (" (deleted)" included). */
static const char *file_path(const struct um_file *f, char *tmp, size_t size)
{
	char link[64];
	ssize_t n;

	if (f->host_fd < 0)
		return f->path;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", f->host_fd);
	n = readlink(link, tmp, size - 1);
	if (n <= 0)
		return f->path;
	tmp[n] = '\0';
	return tmp;
}

const char *vma_name(const struct mm *mm, const struct vma *v)
{
	if (v->special)
		return v->special->name;
	if (v->vm_file)
		return v->vm_file->path;
	if (v->vm_start < mm->brk && v->vm_end > mm->start_brk)
		return "[heap]";
	if (v->vm_start <= mm->start_stack && v->vm_end >= mm->start_stack)
		return "[stack]";
	return NULL;
}

static void show_line(struct out *o, unsigned long start, unsigned long end,
		      unsigned long flags, unsigned long long off,
		      unsigned long dev, unsigned long ino, const char *name)
{
	char line[4200];
	int n = snprintf(line, sizeof(line), "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ",
			 start, end, flags & VM_READ ? 'r' : '-',
			 flags & VM_WRITE ? 'w' : '-', flags & VM_EXEC ? 'x' : '-',
			 flags & VM_MAYSHARE ? 's' : 'p', off, major(dev), minor(dev), ino);

	if (name) {
		while (n < 72)
			line[n++] = ' ';
		line[n++] = ' ';
		/* seq_file_path(m, file, "\n"): a newline in a path prints as
		 * the octal escape, so a maps line stays one line. */
		for (const char *c = name; *c && n < (int)sizeof(line) - 6; c++) {
			if (*c == '\n') {
				memcpy(line + n, "\\012", 4);
				n += 4;
			} else {
				line[n++] = *c;
			}
		}
	}
	line[n++] = '\n';
	put(o, line, (size_t)n);
}

/* The maps line of @v (smaps starts each entry with it). */
static void show_vma(struct out *o, const struct mm *mm, const struct vma *v)
{
	char path[4096];
	const char *name = vma_name(mm, v);
	unsigned long dev = 0, ino = 0;
	unsigned long long off = 0;

	if (v->vm_file) {
		dev = v->vm_file->dev;
		ino = v->vm_file->ino;
		off = (unsigned long long)v->vm_pgoff << PAGE_SHIFT;
		name = file_path(v->vm_file, path, sizeof(path));
	}
	show_line(o, v->vm_start, v->vm_end, v->vm_flags, off, dev, ino, name);
}

size_t show_maps(struct mm *mm, char *buf, size_t size)
{
	struct out o = { buf, size, 0 };
	const struct vma *v;

	for (v = mm->vma_first; v; v = v->next)
		show_vma(&o, mm, v);
	if (mm->has_vsyscall)
		show_line(&o, 0xffffffffff600000UL, 0xffffffffff601000UL,
			  VM_EXEC, 0, 0, 0, "[vsyscall]");
	return out_end(&o);
}

/* NUL-terminate what fits and return the full length (snprintf's contract). */
static size_t out_end(struct out *o)
{
	if (o->size)
		o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
	return o->len;
}

__attribute__((format(printf, 2, 3)))
static void putf(struct out *o, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(o, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* ---- smaps ------------------------------------------------------------------------ */

#define PSS_SHIFT 12   /* Pss is summed in 1/4096ths of a byte (note 2) */

/* What one walk of a VMA's entries finds (Linux's mem_size_stats); bytes. */
struct smaps_stats {
	unsigned long resident, shared_clean, shared_dirty, private_clean,
		      private_dirty, referenced, anonymous, lazyfree;
	uint64_t pss, pss_anon, pss_file, pss_shmem, pss_dirty, pss_locked;
};

struct smaps_walk {
	struct smaps_stats *st;
	const struct vma *v;
	struct phys *ph;
};

/* A page of shared anonymous memory (shmem), not of a file on disk. */
static bool vma_page_is_shmem(const struct vma *v, const struct page *pg)
{
	return (page_flags(pg) & PG_CACHE) && v->vm_file && v->vm_file->mapping &&
	       v->vm_file->mapping->shmem;
}

/* Note 3: the entry's dirty bit counts except over a disk file's page. */
static bool page_dirty(const struct vma *v, const struct page *pg, pte_t e)
{
	bool file = (page_flags(pg) & PG_CACHE) && !vma_page_is_shmem(v, pg);

	return (page_flags(pg) & PG_DIRTY) || (!file && (e & PTE_DIRTY));
}

static void smaps_account(struct smaps_walk *w, const struct page *pg, pte_t e)
{
	struct smaps_stats *st = w->st;
	bool shared = page_mapcount(pg) >= 2, dirty = page_dirty(w->v, pg, e);
	uint64_t pss = (uint64_t)PAGE_SIZE << PSS_SHIFT;

	if (shared)
		pss /= page_mapcount(pg);
	st->resident += PAGE_SIZE;
	st->pss += pss;
	if ((e & PTE_ACCESSED) || (page_flags(pg) & PG_REFERENCED))
		st->referenced += PAGE_SIZE;
	if (page_flags(pg) & PG_ANON) {
		st->anonymous += PAGE_SIZE;
		st->pss_anon += pss;
		if ((page_flags(pg) & PG_LAZYFREE) && !dirty)
			st->lazyfree += PAGE_SIZE;
	} else if (vma_page_is_shmem(w->v, pg)) {
		st->pss_shmem += pss;
	} else {
		st->pss_file += pss;
	}
	if (w->v->vm_flags & VM_LOCKED)
		st->pss_locked += pss;
	if (dirty)
		st->pss_dirty += pss;
	*(shared ? (dirty ? &st->shared_dirty : &st->shared_clean) :
	  (dirty ? &st->private_dirty : &st->private_clean)) += PAGE_SIZE;
}

static int smaps_pte(pte_t *e, unsigned long addr, void *arg)
{
	struct smaps_walk *w = arg;
	unsigned long pfn = pte_pfn(*e);

	(void)addr;
	if (pfn == ZERO_PFN)    /* note 1 */
		return 0;
	smaps_account(w, pfn_page(w->ph, pfn), *e);
	return 0;
}

static void smaps_gather(struct mm *mm, const struct vma *v, struct smaps_stats *st)
{
	struct smaps_walk w = { st, v, mm->phys };

	if (!mm->phys || (v->vm_flags & VM_PFNMAP))
		return;
	pte_walk(&mm->pgt, v->vm_start, v->vm_end, smaps_pte, &w);
}

/* "Label:" padded to 16 columns, then the value in kB in 8 (note above). */
static void put_kb(struct out *o, const char *label, uint64_t bytes)
{
	putf(o, "%-16s%8llu kB\n", label, (unsigned long long)(bytes >> 10));
}

/* The part smaps and smaps_rollup share (Linux's __show_smap). */
static void show_smap_stats(struct out *o, const struct smaps_stats *st, bool rollup)
{
	put_kb(o, "Rss:", st->resident);
	put_kb(o, "Pss:", st->pss >> PSS_SHIFT);
	put_kb(o, "Pss_Dirty:", st->pss_dirty >> PSS_SHIFT);
	if (rollup) {
		put_kb(o, "Pss_Anon:", st->pss_anon >> PSS_SHIFT);
		put_kb(o, "Pss_File:", st->pss_file >> PSS_SHIFT);
		put_kb(o, "Pss_Shmem:", st->pss_shmem >> PSS_SHIFT);
	}
	put_kb(o, "Shared_Clean:", st->shared_clean);
	put_kb(o, "Shared_Dirty:", st->shared_dirty);
	put_kb(o, "Private_Clean:", st->private_clean);
	put_kb(o, "Private_Dirty:", st->private_dirty);
	put_kb(o, "Referenced:", st->referenced);
	put_kb(o, "Anonymous:", st->anonymous);
	put_kb(o, "KSM:", 0);
	put_kb(o, "LazyFree:", st->lazyfree);
	put_kb(o, "AnonHugePages:", 0);
	put_kb(o, "ShmemPmdMapped:", 0);
	put_kb(o, "FilePmdMapped:", 0);
	put_kb(o, "Shared_Hugetlb:", 0);
	putf(o, "Private_Hugetlb: %7lu kB\n", 0UL);   /* one column wider */
	put_kb(o, "Swap:", 0);
	put_kb(o, "SwapPss:", 0);
	put_kb(o, "Locked:", st->pss_locked >> PSS_SHIFT);
}

/* The host's THP mode: 2 always, 1 madvise, 0 never (read once). */
static int thp_host_mode(void)
{
	static int mode = -1;
	char line[128] = "";
	FILE *f;

	if (mode >= 0)
		return mode;
	f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	if (f && fgets(line, sizeof(line), f))
		mode = strstr(line, "[always]") ? 2 : strstr(line, "[never]") ? 0 : 1;
	else
		mode = 1;   /* the default of CONFIG_TRANSPARENT_HUGEPAGE_MADVISE */
	if (f)
		fclose(f);
	return mode;
}

/* Note 8 (Linux's thp_vma_allowable_orders as smaps asks it). */
static bool thp_eligible(const struct mm *mm, const struct vma *v)
{
	int mode;

	if (!mm->sysctl || !mm->sysctl->thp || !vma_is_anonymous(v) || v->special ||
	    (v->vm_flags & (VM_SPECIAL | VM_HUGETLB | VM_NOHUGEPAGE)))
		return false;
	mode = thp_host_mode();
	if (mode == 0 || (mode == 1 && !(v->vm_flags & VM_HUGEPAGE)))
		return false;
	return v->vm_end - v->vm_start >= PMD_SIZE &&
	       ((v->vm_end - PMD_SIZE) & ~(PMD_SIZE - 1)) >= v->vm_start;
}

/* Two letters per vm_flags bit (note 10); NULL: never shown. */
static const char *flag_mnemonic(unsigned bit)
{
	static const char *const names[64] = {
		"rd", "wr", "ex", "sh", "mr", "mw", "me", "ms",      /* 0-7 */
		"gd", "um", "pf", "gu", "uw", "lo", "io", "sr",      /* 8-15 */
		"rr", "dc", "de", "lf", "ac", "nr", "ht", "sf",      /* 16-23 */
		"ar", "wf", "dd", NULL, "mm", "hg", "nh", "mg",      /* 24-31 */
		NULL, NULL, NULL, NULL,                              /* pkeys */
		[40] = "dp",
	};

	if (bit >= 32 && bit < 36)
		return NULL;
	if (bit == 27)
		return NULL;   /* VM_SOFTDIRTY */
	return names[bit] ? names[bit] : "??";
}

static void show_vm_flags(struct out *o, unsigned long flags)
{
	put(o, "VmFlags: ", 9);
	for (unsigned bit = 0; bit < 64; bit++) {
		const char *m = flag_mnemonic(bit);

		if ((flags >> bit & 1) && m)
			putf(o, "%s ", m);
	}
	put(o, "\n", 1);
}

static void show_smap_vma(struct out *o, struct mm *mm, const struct vma *v)
{
	struct smaps_stats st = { 0 };

	smaps_gather(mm, v, &st);
	show_vma(o, mm, v);
	put_kb(o, "Size:", v->vm_end - v->vm_start);
	put_kb(o, "KernelPageSize:", PAGE_SIZE);
	put_kb(o, "MMUPageSize:", PAGE_SIZE);
	show_smap_stats(o, &st, false);
	putf(o, "THPeligible:    %8u\n", thp_eligible(mm, v) ? 1u : 0u);
	show_vm_flags(o, v->vm_flags);
}

/* The gate area: one executable page with no entries of the process. */
static void show_smap_gate(struct out *o)
{
	struct smaps_stats st = { 0 };

	show_line(o, 0xffffffffff600000UL, 0xffffffffff601000UL, VM_EXEC, 0, 0, 0,
		  "[vsyscall]");
	put_kb(o, "Size:", PAGE_SIZE);
	put_kb(o, "KernelPageSize:", PAGE_SIZE);
	put_kb(o, "MMUPageSize:", PAGE_SIZE);
	show_smap_stats(o, &st, false);
	putf(o, "THPeligible:    %8u\n", 0u);
	show_vm_flags(o, VM_EXEC);
}

size_t show_smaps(struct mm *mm, char *buf, size_t size)
{
	struct out o = { buf, size, 0 };

	for (const struct vma *v = mm->vma_first; v; v = v->next)
		show_smap_vma(&o, mm, v);
	if (mm->has_vsyscall)
		show_smap_gate(&o);
	return out_end(&o);
}

size_t show_smaps_vma(struct mm *mm, unsigned long addr, char *buf, size_t size)
{
	struct out o = { buf, size, 0 };
	const struct vma *v = find_vma(mm, addr);

	if (v && v->vm_start <= addr)
		show_smap_vma(&o, mm, v);
	else if (mm->has_vsyscall && addr >= 0xffffffffff600000UL &&
		 addr < 0xffffffffff601000UL)
		show_smap_gate(&o);
	return out_end(&o);
}

static void stats_add(struct smaps_stats *sum, const struct smaps_stats *st)
{
	sum->resident += st->resident;
	sum->shared_clean += st->shared_clean;
	sum->shared_dirty += st->shared_dirty;
	sum->private_clean += st->private_clean;
	sum->private_dirty += st->private_dirty;
	sum->referenced += st->referenced;
	sum->anonymous += st->anonymous;
	sum->lazyfree += st->lazyfree;
	sum->pss += st->pss;
	sum->pss_anon += st->pss_anon;
	sum->pss_file += st->pss_file;
	sum->pss_shmem += st->pss_shmem;
	sum->pss_dirty += st->pss_dirty;
	sum->pss_locked += st->pss_locked;
}

size_t show_smaps_rollup(struct mm *mm, char *buf, size_t size)
{
	struct out o = { buf, size, 0 };
	struct smaps_stats sum = { 0 };
	unsigned long start = mm->vma_first ? mm->vma_first->vm_start : 0;
	unsigned long end = mm->vma_last ? mm->vma_last->vm_end : 0;

	for (const struct vma *v = mm->vma_first; v; v = v->next) {
		struct smaps_stats st = { 0 };

		smaps_gather(mm, v, &st);
		stats_add(&sum, &st);
	}
	show_line(&o, start, end, 0, 0, 0, 0, "[rollup]");
	show_smap_stats(&o, &sum, true);
	return out_end(&o);
}

/* ---- status -------------------------------------------------------------------------- */

static void put_status(struct out *o, const char *name, unsigned long kb)
{
	putf(o, "%s:\t%8lu kB\n", name, kb);
}

size_t show_status_mem(struct mm *mm, char *buf, size_t size)
{
	struct out o = { buf, size, 0 };
	const unsigned long k = PAGE_SIZE >> 10;   /* kB per page */
	unsigned long rss = mm_rss(mm);
	unsigned long tables = mm->pgt.nr_tables ? mm->pgt.nr_tables - 1 : 0;

	put_status(&o, "VmPeak", um_max(mm->hiwater_vm, mm->total_vm) * k);
	put_status(&o, "VmSize", mm->total_vm * k);
	put_status(&o, "VmLck", mm->locked_vm * k);
	put_status(&o, "VmPin", 0);
	put_status(&o, "VmHWM", um_max(mm->hiwater_rss, rss) * k);
	put_status(&o, "VmRSS", rss * k);
	put_status(&o, "RssAnon", mm->rss_anon * k);
	put_status(&o, "RssFile", mm->rss_file * k);
	put_status(&o, "RssShmem", mm->rss_shmem * k);
	put_status(&o, "VmData", mm->data_vm * k);
	put_status(&o, "VmStk", mm->stack_vm * k);
	put_status(&o, "VmExe", 0);
	put_status(&o, "VmLib", mm->exec_vm * k);
	put_status(&o, "VmPTE", tables * k);
	put_status(&o, "VmSwap", 0);
	put_status(&o, "HugetlbPages", 0);
	return out_end(&o);
}
