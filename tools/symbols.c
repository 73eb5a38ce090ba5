/*
 * symbols.c — names and numbers of the trace language, and the printer.
 *
 * Design notes
 *
 * What this file owns:
 *   1. The x86-64 Linux values of every name a trace may use (flags,
 *      constants, errno, signals, si_code), written from the uapi headers
 *      (asm-generic/mman-common.h, asm-generic/mman.h, asm/mman.h,
 *      linux/mman.h, asm-generic/fcntl.h, linux/fcntl.h, linux/fs.h,
 *      asm-generic/errno*.h, asm/signal.h, asm-generic/siginfo.h) plus the
 *      newer values the running kernel has (MAP_DROPPABLE, MADV_GUARD_*).
 *   2. The printer: a call line formatted exactly as strace prints it.
 *
 * Invariants:
 *   1. Within one class, sym[] lists names in strace's printing order (its
 *      xlat order), so printing walks the table and takes every name whose
 *      bits are all set, clearing them: O_SYNC comes before O_DSYNC,
 *      O_TMPFILE before O_DIRECTORY, as strace does.
 *   2. Names are unique across classes, so parsing needs no class.
 *   3. Entries marked S_ALIAS are parsed but never printed; entries marked
 *      S_NEW are printed unless TR_FMT_STRACE61 asks for strace 6.1's text.
 *
 * strace's printing rules this reproduces (checked against strace 6.1 on
 * this machine, see tests/test_trace.c):
 *   - flag sets: known names joined by "|", leftover bits as "|0x..."; no
 *     known name at all: the hex value followed by a C comment naming the
 *     class ("PROT_???"); zero: the class's zero name (PROT_NONE) or "0".
 *   - mmap flags: the type (flags & 0xf) first as one value (MAP_FILE for 0,
 *     MAP_SHARED_VALIDATE for 3, hex + "MAP_???" comment if unknown), then the
 *     other bits below bit 26, then "|N<<MAP_HUGE_SHIFT" for bits 26..31;
 *     bits above 31 are not shown.  prot and mremap flags are 64-bit; madvise,
 *     mlock2, mlockall, msync and open flags are 32-bit; fds are int.
 *   - addresses: NULL or 0x...; sizes unsigned decimal; mmap offset hex.
 *   - results: hex for mmap/mremap/brk, decimal otherwise; errors
 *     "-1 ENOMEM (Cannot allocate memory)" with strerror's text, and
 *     "-1 (errno 200)" for an errno with no name.
 */
#include "trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- the name table ------------------------------------------------------ */

enum sym_cls {
	C_PROT = 1, C_MAPTYPE, C_MAP, C_MREMAP, C_MADV, C_MLOCK, C_MCL, C_MS,
	C_OACC, C_O, C_MISC, C_SIG, C_SEEK,
};

#define S_ALIAS 1u /* parse only */
#define S_NEW   2u /* not in strace 6.1 */

struct sym {
	const char *name;
	unsigned long value;
	unsigned char cls;
	unsigned char flags;
};

#define HUGE(n) ((unsigned long)(n) << 26)

static const struct sym sym[] = {
	{ "PROT_NONE", 0x0, C_PROT, 0 },
	{ "PROT_READ", 0x1, C_PROT, 0 },
	{ "PROT_WRITE", 0x2, C_PROT, 0 },
	{ "PROT_EXEC", 0x4, C_PROT, 0 },
	{ "PROT_SEM", 0x8, C_PROT, 0 },
	{ "PROT_GROWSDOWN", 0x01000000, C_PROT, 0 },
	{ "PROT_GROWSUP", 0x02000000, C_PROT, 0 },

	{ "MAP_FILE", 0x0, C_MAPTYPE, 0 },
	{ "MAP_SHARED", 0x1, C_MAPTYPE, 0 },
	{ "MAP_PRIVATE", 0x2, C_MAPTYPE, 0 },
	{ "MAP_SHARED_VALIDATE", 0x3, C_MAPTYPE, 0 },
	{ "MAP_DROPPABLE", 0x8, C_MAPTYPE, S_NEW },

	{ "MAP_FIXED", 0x10, C_MAP, 0 },
	{ "MAP_ANONYMOUS", 0x20, C_MAP, 0 },
	{ "MAP_32BIT", 0x40, C_MAP, 0 },
	{ "MAP_ABOVE4G", 0x80, C_MAP, S_NEW },
	{ "MAP_NORESERVE", 0x4000, C_MAP, 0 },
	{ "MAP_POPULATE", 0x8000, C_MAP, 0 },
	{ "MAP_NONBLOCK", 0x10000, C_MAP, 0 },
	{ "MAP_GROWSDOWN", 0x100, C_MAP, 0 },
	{ "MAP_DENYWRITE", 0x800, C_MAP, 0 },
	{ "MAP_EXECUTABLE", 0x1000, C_MAP, 0 },
	{ "MAP_LOCKED", 0x2000, C_MAP, 0 },
	{ "MAP_STACK", 0x20000, C_MAP, 0 },
	{ "MAP_HUGETLB", 0x40000, C_MAP, 0 },
	{ "MAP_SYNC", 0x80000, C_MAP, 0 },
	{ "MAP_FIXED_NOREPLACE", 0x100000, C_MAP, 0 },
	{ "MAP_ANON", 0x20, C_MAP, S_ALIAS },
	{ "MAP_UNINITIALIZED", 0x4000000, C_MAP, S_ALIAS },
	{ "MAP_TYPE", 0xf, C_MISC, 0 },
	{ "MAP_HUGE_SHIFT", 26, C_MISC, 0 },
	{ "MAP_HUGE_MASK", 0x3f, C_MISC, 0 },
	{ "MAP_HUGE_16KB", HUGE(14), C_MISC, 0 },
	{ "MAP_HUGE_64KB", HUGE(16), C_MISC, 0 },
	{ "MAP_HUGE_512KB", HUGE(19), C_MISC, 0 },
	{ "MAP_HUGE_1MB", HUGE(20), C_MISC, 0 },
	{ "MAP_HUGE_2MB", HUGE(21), C_MISC, 0 },
	{ "MAP_HUGE_8MB", HUGE(23), C_MISC, 0 },
	{ "MAP_HUGE_16MB", HUGE(24), C_MISC, 0 },
	{ "MAP_HUGE_32MB", HUGE(25), C_MISC, 0 },
	{ "MAP_HUGE_256MB", HUGE(28), C_MISC, 0 },
	{ "MAP_HUGE_512MB", HUGE(29), C_MISC, 0 },
	{ "MAP_HUGE_1GB", HUGE(30), C_MISC, 0 },
	{ "MAP_HUGE_2GB", HUGE(31), C_MISC, 0 },
	{ "MAP_HUGE_16GB", HUGE(34), C_MISC, 0 },

	{ "MREMAP_MAYMOVE", 1, C_MREMAP, 0 },
	{ "MREMAP_FIXED", 2, C_MREMAP, 0 },
	{ "MREMAP_DONTUNMAP", 4, C_MREMAP, 0 },

	{ "MADV_NORMAL", 0, C_MADV, 0 },
	{ "MADV_RANDOM", 1, C_MADV, 0 },
	{ "MADV_SEQUENTIAL", 2, C_MADV, 0 },
	{ "MADV_WILLNEED", 3, C_MADV, 0 },
	{ "MADV_DONTNEED", 4, C_MADV, 0 },
	{ "MADV_FREE", 8, C_MADV, 0 },
	{ "MADV_REMOVE", 9, C_MADV, 0 },
	{ "MADV_DONTFORK", 10, C_MADV, 0 },
	{ "MADV_DOFORK", 11, C_MADV, 0 },
	{ "MADV_MERGEABLE", 12, C_MADV, 0 },
	{ "MADV_UNMERGEABLE", 13, C_MADV, 0 },
	{ "MADV_HUGEPAGE", 14, C_MADV, 0 },
	{ "MADV_NOHUGEPAGE", 15, C_MADV, 0 },
	{ "MADV_DONTDUMP", 16, C_MADV, 0 },
	{ "MADV_DODUMP", 17, C_MADV, 0 },
	{ "MADV_WIPEONFORK", 18, C_MADV, 0 },
	{ "MADV_KEEPONFORK", 19, C_MADV, 0 },
	{ "MADV_COLD", 20, C_MADV, 0 },
	{ "MADV_PAGEOUT", 21, C_MADV, 0 },
	{ "MADV_POPULATE_READ", 22, C_MADV, 0 },
	{ "MADV_POPULATE_WRITE", 23, C_MADV, 0 },
	{ "MADV_DONTNEED_LOCKED", 24, C_MADV, 0 },
	{ "MADV_COLLAPSE", 25, C_MADV, 0 },
	{ "MADV_HWPOISON", 100, C_MADV, 0 },
	{ "MADV_SOFT_OFFLINE", 101, C_MADV, 0 },
	{ "MADV_GUARD_INSTALL", 102, C_MADV, S_NEW },
	{ "MADV_GUARD_REMOVE", 103, C_MADV, S_NEW },

	{ "MLOCK_ONFAULT", 1, C_MLOCK, 0 },

	{ "MCL_CURRENT", 1, C_MCL, 0 },
	{ "MCL_FUTURE", 2, C_MCL, 0 },
	{ "MCL_ONFAULT", 4, C_MCL, 0 },

	{ "MS_SYNC", 4, C_MS, 0 },
	{ "MS_ASYNC", 1, C_MS, 0 },
	{ "MS_INVALIDATE", 2, C_MS, 0 },

	{ "O_RDONLY", 0, C_OACC, 0 },
	{ "O_WRONLY", 1, C_OACC, 0 },
	{ "O_RDWR", 2, C_OACC, 0 },
	{ "O_ACCMODE", 3, C_OACC, 0 },
	{ "O_CREAT", 0100, C_O, 0 },
	{ "O_EXCL", 0200, C_O, 0 },
	{ "O_NOCTTY", 0400, C_O, 0 },
	{ "O_TRUNC", 01000, C_O, 0 },
	{ "O_APPEND", 02000, C_O, 0 },
	{ "O_NONBLOCK", 04000, C_O, 0 },
	{ "O_SYNC", 04010000, C_O, 0 },
	{ "__O_SYNC", 04000000, C_O, 0 },
	{ "O_DSYNC", 010000, C_O, 0 },
	{ "O_DIRECT", 040000, C_O, 0 },
	{ "O_LARGEFILE", 0100000, C_O, 0 },
	{ "O_NOFOLLOW", 0400000, C_O, 0 },
	{ "O_NOATIME", 01000000, C_O, 0 },
	{ "O_CLOEXEC", 02000000, C_O, 0 },
	{ "O_PATH", 010000000, C_O, 0 },
	{ "O_TMPFILE", 020200000, C_O, 0 },
	{ "__O_TMPFILE", 020000000, C_O, 0 },
	{ "O_DIRECTORY", 0200000, C_O, 0 },
	{ "FASYNC", 020000, C_O, 0 },
	{ "O_NDELAY", 04000, C_O, S_ALIAS },
	{ "O_FSYNC", 04010000, C_O, S_ALIAS },
	{ "O_RSYNC", 04010000, C_O, S_ALIAS },

	{ "AT_FDCWD", (unsigned long)-100L, C_MISC, 0 },
	{ "AT_SYMLINK_NOFOLLOW", 0x100, C_MISC, 0 },
	{ "AT_REMOVEDIR", 0x200, C_MISC, 0 },
	{ "AT_SYMLINK_FOLLOW", 0x400, C_MISC, 0 },
	{ "AT_EMPTY_PATH", 0x1000, C_MISC, 0 },
	{ "SEEK_SET", 0, C_SEEK, 0 },
	{ "SEEK_CUR", 1, C_SEEK, 0 },
	{ "SEEK_END", 2, C_SEEK, 0 },
	{ "SEEK_DATA", 3, C_SEEK, 0 },
	{ "SEEK_HOLE", 4, C_SEEK, 0 },
	{ "PKEY_DISABLE_ACCESS", 1, C_MISC, 0 },
	{ "PKEY_DISABLE_WRITE", 2, C_MISC, 0 },
};

#define NSYM (sizeof(sym) / sizeof(sym[0]))

/* ---- signals, si_code, errno ---------------------------------------------- */

static const char *const signame[] = {
	NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
	"SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2",
	"SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
	"SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
	"SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR",
	"SIGSYS",
};

/* Real-time signals as strace names them: SIGRTMIN, then SIGRT_1.. */
static const char *const signame_rt[] = {
	"SIGRTMIN", "SIGRT_1", "SIGRT_2", "SIGRT_3", "SIGRT_4", "SIGRT_5",
	"SIGRT_6", "SIGRT_7", "SIGRT_8", "SIGRT_9", "SIGRT_10", "SIGRT_11",
	"SIGRT_12", "SIGRT_13", "SIGRT_14", "SIGRT_15", "SIGRT_16", "SIGRT_17",
	"SIGRT_18", "SIGRT_19", "SIGRT_20", "SIGRT_21", "SIGRT_22", "SIGRT_23",
	"SIGRT_24", "SIGRT_25", "SIGRT_26", "SIGRT_27", "SIGRT_28", "SIGRT_29",
	"SIGRT_30", "SIGRT_31", "SIGRT_32",
};

static const struct { const char *name; int sig; } sigalias[] = {
	{ "SIGIOT", 6 }, { "SIGCLD", 17 }, { "SIGPOLL", 29 },
	{ "SIGRT_0", 32 }, { "SIGRTMAX", 64 },
};

/* sig 0: the generic SI_* codes, valid for any signal. */
static const struct { const char *name; int sig; int code; } sicode[] = {
	{ "SI_USER", 0, 0 }, { "SI_KERNEL", 0, 0x80 }, { "SI_QUEUE", 0, -1 },
	{ "SI_TIMER", 0, -2 }, { "SI_MESGQ", 0, -3 }, { "SI_ASYNCIO", 0, -4 },
	{ "SI_SIGIO", 0, -5 }, { "SI_TKILL", 0, -6 }, { "SI_DETHREAD", 0, -7 },
	{ "SI_ASYNCNL", 0, -60 },
	{ "SEGV_MAPERR", 11, 1 }, { "SEGV_ACCERR", 11, 2 },
	{ "SEGV_BNDERR", 11, 3 }, { "SEGV_PKUERR", 11, 4 },
	{ "SEGV_ACCADI", 11, 5 }, { "SEGV_ADIDERR", 11, 6 },
	{ "SEGV_ADIPERR", 11, 7 }, { "SEGV_MTEAERR", 11, 8 },
	{ "SEGV_MTESERR", 11, 9 }, { "SEGV_CPERR", 11, 10 },
	{ "BUS_ADRALN", 7, 1 }, { "BUS_ADRERR", 7, 2 }, { "BUS_OBJERR", 7, 3 },
	{ "BUS_MCEERR_AR", 7, 4 }, { "BUS_MCEERR_AO", 7, 5 },
	{ "ILL_ILLOPC", 4, 1 }, { "ILL_ILLOPN", 4, 2 }, { "ILL_ILLADR", 4, 3 },
	{ "ILL_ILLTRP", 4, 4 }, { "ILL_PRVOPC", 4, 5 }, { "ILL_PRVREG", 4, 6 },
	{ "ILL_COPROC", 4, 7 }, { "ILL_BADSTK", 4, 8 },
	{ "FPE_INTDIV", 8, 1 }, { "FPE_INTOVF", 8, 2 }, { "FPE_FLTDIV", 8, 3 },
	{ "FPE_FLTOVF", 8, 4 }, { "FPE_FLTUND", 8, 5 }, { "FPE_FLTRES", 8, 6 },
	{ "FPE_FLTINV", 8, 7 }, { "FPE_FLTSUB", 8, 8 },
	{ "TRAP_BRKPT", 5, 1 }, { "TRAP_TRACE", 5, 2 }, { "TRAP_BRANCH", 5, 3 },
	{ "TRAP_HWBKPT", 5, 4 },
	{ "CLD_EXITED", 17, 1 }, { "CLD_KILLED", 17, 2 }, { "CLD_DUMPED", 17, 3 },
	{ "CLD_TRAPPED", 17, 4 }, { "CLD_STOPPED", 17, 5 },
	{ "CLD_CONTINUED", 17, 6 },
	{ "POLL_IN", 29, 1 }, { "POLL_OUT", 29, 2 }, { "POLL_MSG", 29, 3 },
	{ "POLL_ERR", 29, 4 }, { "POLL_PRI", 29, 5 }, { "POLL_HUP", 29, 6 },
	{ "SYS_SECCOMP", 31, 1 },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* errno names, indexed by value (asm-generic/errno-base.h, errno.h). */
static const char *const errname[] = {
	NULL, "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG",
	"ENOEXEC", "EBADF", "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT",
	"ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV", "ENOTDIR", "EISDIR",
	"EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC",
	"ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK",
	"ENAMETOOLONG", "ENOLCK", "ENOSYS", "ENOTEMPTY", "ELOOP", NULL,
	"ENOMSG", "EIDRM", "ECHRNG", "EL2NSYNC", "EL3HLT", "EL3RST", "ELNRNG",
	"EUNATCH", "ENOCSI", "EL2HLT", "EBADE", "EBADR", "EXFULL", "ENOANO",
	"EBADRQC", "EBADSLT", NULL, "EBFONT", "ENOSTR", "ENODATA", "ETIME",
	"ENOSR", "ENONET", "ENOPKG", "EREMOTE", "ENOLINK", "EADV", "ESRMNT",
	"ECOMM", "EPROTO", "EMULTIHOP", "EDOTDOT", "EBADMSG", "EOVERFLOW",
	"ENOTUNIQ", "EBADFD", "EREMCHG", "ELIBACC", "ELIBBAD", "ELIBSCN",
	"ELIBMAX", "ELIBEXEC", "EILSEQ", "ERESTART", "ESTRPIPE", "EUSERS",
	"ENOTSOCK", "EDESTADDRREQ", "EMSGSIZE", "EPROTOTYPE", "ENOPROTOOPT",
	"EPROTONOSUPPORT", "ESOCKTNOSUPPORT", "EOPNOTSUPP", "EPFNOSUPPORT",
	"EAFNOSUPPORT", "EADDRINUSE", "EADDRNOTAVAIL", "ENETDOWN",
	"ENETUNREACH", "ENETRESET", "ECONNABORTED", "ECONNRESET", "ENOBUFS",
	"EISCONN", "ENOTCONN", "ESHUTDOWN", "ETOOMANYREFS", "ETIMEDOUT",
	"ECONNREFUSED", "EHOSTDOWN", "EHOSTUNREACH", "EALREADY",
	"EINPROGRESS", "ESTALE", "EUCLEAN", "ENOTNAM", "ENAVAIL", "EISNAM",
	"EREMOTEIO", "EDQUOT", "ENOMEDIUM", "EMEDIUMTYPE", "ECANCELED",
	"ENOKEY", "EKEYEXPIRED", "EKEYREVOKED", "EKEYREJECTED", "EOWNERDEAD",
	"ENOTRECOVERABLE", "ERFKILL", "EHWPOISON",
};

/* Kernel-internal errnos strace shows (include/linux/errno.h), from 512. */
static const char *const errname_k[] = {
	"ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD",
	"ERESTART_RESTARTBLOCK", "EPROBE_DEFER", "EOPENSTALE", "ENOPARAM",
	NULL, "EBADHANDLE", "ENOTSYNC", "EBADCOOKIE", "ENOTSUPP", "ETOOSMALL",
	"ESERVERFAULT", "EBADTYPE", "EJUKEBOX", "EIOCBQUEUED",
	"ERECALLCONFLICT",
};

static const char *const errtext_k[] = {
	"To be restarted if SA_RESTART is set", "To be restarted",
	"To be restarted if no handler", NULL, "Interrupted by signal",
};

static const struct { const char *name; int err; } erralias[] = {
	{ "EWOULDBLOCK", 11 }, { "EDEADLOCK", 35 }, { "ENOTSUP", 95 },
};

static int name_eq(const char *name, const char *s, size_t len)
{
	return strncmp(name, s, len) == 0 && name[len] == '\0';
}

int tr_name_value(const char *name, size_t len, unsigned long *value)
{
	size_t i;

	for (i = 0; i < NSYM; i++) {
		if (name_eq(sym[i].name, name, len)) {
			*value = sym[i].value;
			return 0;
		}
	}
	if (len >= 3 && name[0] == 'S' && name[1] == 'I' && name[2] == 'G') {
		char buf[32];
		int sig;

		if (len >= sizeof(buf))
			return -1;
		memcpy(buf, name, len);
		buf[len] = '\0';
		sig = tr_signal_value(buf);
		if (sig > 0) {
			*value = (unsigned long)sig;
			return 0;
		}
	}
	return -1;
}

const char *tr_errno_name(int err)
{
	if (err > 0 && (size_t)err < NELEM(errname))
		return errname[err];
	if (err >= 512 && (size_t)(err - 512) < NELEM(errname_k))
		return errname_k[err - 512];
	return NULL;
}

static int parse_errno_number(const char *s)
{
	long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v > 0 && v < 4096 ? (int)v : -1;
}

int tr_errno_value(const char *name)
{
	size_t i;

	for (i = 1; i < NELEM(errname); i++)
		if (errname[i] && strcmp(errname[i], name) == 0)
			return (int)i;
	for (i = 0; i < NELEM(errname_k); i++)
		if (errname_k[i] && strcmp(errname_k[i], name) == 0)
			return (int)(512 + i);
	for (i = 0; i < NELEM(erralias); i++)
		if (strcmp(erralias[i].name, name) == 0)
			return erralias[i].err;
	if (strncmp(name, "ERRNO_", 6) == 0)
		return parse_errno_number(name + 6);
	return -1;
}

const char *tr_errno_text(int err)
{
	if (err >= 512 && (size_t)(err - 512) < NELEM(errtext_k) &&
	    errtext_k[err - 512])
		return errtext_k[err - 512];
	return strerror(err);
}

const char *tr_signal_name(int sig)
{
	if (sig > 0 && (size_t)sig < NELEM(signame))
		return signame[sig];
	if (sig >= 32 && (size_t)(sig - 32) < NELEM(signame_rt))
		return signame_rt[sig - 32];
	return NULL;
}

int tr_signal_value(const char *name)
{
	size_t i;

	for (i = 1; i < NELEM(signame); i++)
		if (strcmp(signame[i], name) == 0)
			return (int)i;
	for (i = 0; i < NELEM(signame_rt); i++)
		if (strcmp(signame_rt[i], name) == 0)
			return (int)(32 + i);
	for (i = 0; i < NELEM(sigalias); i++)
		if (strcmp(sigalias[i].name, name) == 0)
			return sigalias[i].sig;
	return -1;
}

const char *tr_sicode_name(int sig, int code)
{
	size_t i;

	for (i = 0; i < NELEM(sicode); i++)
		if (sicode[i].code == code &&
		    (sicode[i].sig == 0 || sicode[i].sig == sig))
			return sicode[i].name;
	return NULL;
}

int tr_sicode_value(const char *name, int *code)
{
	size_t i;

	for (i = 0; i < NELEM(sicode); i++) {
		if (strcmp(sicode[i].name, name) == 0) {
			*code = sicode[i].code;
			return 0;
		}
	}
	return -1;
}

/* ---- string builder ------------------------------------------------------- */

/* Appends into buf[size] like snprintf: len counts everything, written or not. */
struct sb {
	char *buf;
	size_t size;
	size_t len;
};

static void sb_putc(struct sb *sb, char c)
{
	if (sb->len + 1 < sb->size)
		sb->buf[sb->len] = c;
	sb->len++;
}

static void sb_puts(struct sb *sb, const char *s)
{
	while (*s)
		sb_putc(sb, *s++);
}

__attribute__((format(printf, 2, 3)))
static void sb_printf(struct sb *sb, const char *fmt, ...)
{
	char tmp[96];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	sb_puts(sb, tmp);
}

static int sb_finish(struct sb *sb)
{
	if (sb->size)
		sb->buf[sb->len < sb->size ? sb->len : sb->size - 1] = '\0';
	return sb->len > 0x7fffffff ? 0x7fffffff : (int)sb->len;
}

/* ---- printing values ------------------------------------------------------ */

static int sym_printable(const struct sym *e, int cls, unsigned flags)
{
	if (e->cls != cls || (e->flags & S_ALIAS))
		return 0;
	return !((e->flags & S_NEW) && (flags & TR_FMT_STRACE61));
}

/* The name of value v in cls, as one value (not a flag set), or NULL. */
static const char *sym_xval(int cls, unsigned long v, unsigned flags)
{
	size_t i;

	for (i = 0; i < NSYM; i++)
		if (sym_printable(&sym[i], cls, flags) && sym[i].value == v)
			return sym[i].name;
	return NULL;
}

/* Print the names of cls whose bits are all in *v, each preceded by "|"
 * unless it is the first and !lead; clears them from *v.  Returns how many. */
static int put_names(struct sb *sb, int cls, unsigned long *v, int lead,
		     unsigned flags)
{
	int n = 0;
	size_t i;

	for (i = 0; i < NSYM && *v; i++) {
		const struct sym *e = &sym[i];

		if (!sym_printable(e, cls, flags) || e->value == 0 ||
		    (*v & e->value) != e->value)
			continue;
		if (n || lead)
			sb_putc(sb, '|');
		sb_puts(sb, e->name);
		*v &= ~e->value;
		n++;
	}
	return n;
}

/* strace's printflags: names, leftover "|0x..", or "0x.. / * DFLT * /". */
static void put_flags(struct sb *sb, int cls, unsigned long v,
		      const char *dflt, unsigned flags)
{
	const char *zero;

	if (v == 0) {
		zero = sym_xval(cls, 0, flags);
		sb_puts(sb, zero ? zero : "0");
		return;
	}
	if (put_names(sb, cls, &v, 0, flags)) {
		if (v)
			sb_printf(sb, "|%#lx", v);
	} else {
		sb_printf(sb, "%#lx /* %s */", v, dflt);
	}
}

/* strace's printxval: the name, or "0x.. / * DFLT * /". */
static void put_xval(struct sb *sb, int cls, unsigned long v,
		     const char *dflt, unsigned flags)
{
	const char *name = sym_xval(cls, v, flags);

	if (name)
		sb_puts(sb, name);
	else
		sb_printf(sb, "%#lx /* %s */", v, dflt);
}

static void put_mmap_flags(struct sb *sb, unsigned long v, unsigned flags)
{
	unsigned long rest = v & 0x3fffff0UL;
	unsigned huge = ((unsigned)v >> 26) & 0x3f;

	put_xval(sb, C_MAPTYPE, v & 0xf, "MAP_???", flags);
	put_names(sb, C_MAP, &rest, 1, flags);
	if (rest)
		sb_printf(sb, "|%#lx", rest);
	if (huge)
		sb_printf(sb, "|%u<<MAP_HUGE_SHIFT", huge);
}

static void put_open_flags(struct sb *sb, unsigned long v, unsigned flags)
{
	unsigned long rest = v & 0xfffffffcUL;

	sb_puts(sb, sym_xval(C_OACC, v & 3, flags));
	put_names(sb, C_O, &rest, 1, flags);
	if (rest)
		sb_printf(sb, "|%#lx", rest);
}

static void put_hex(struct sb *sb, unsigned long v)
{
	sb_printf(sb, "%#lx", v);
}

static void put_addr(struct sb *sb, unsigned long v)
{
	if (v)
		put_hex(sb, v);
	else
		sb_puts(sb, "NULL");
}

static int tr_quote_sb(struct sb *sb, const char *s, size_t len)
{
	static const char esc[] = "\t\n\v\f\r";
	static const char letter[] = "tnvfr";
	size_t i;

	sb_putc(sb, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *e = c ? strchr(esc, c) : NULL;
		int next_octal = i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '7';

		if (c == '"' || c == '\\') {
			sb_putc(sb, '\\');
			sb_putc(sb, (char)c);
		} else if (e) {
			sb_putc(sb, '\\');
			sb_putc(sb, letter[e - esc]);
		} else if (c >= 0x20 && c < 0x7f) {
			sb_putc(sb, (char)c);
		} else {
			sb_printf(sb, next_octal ? "\\%03o" : "\\%o", c);
		}
	}
	sb_putc(sb, '"');
	return 0;
}

int tr_quote(char *buf, size_t size, const char *s, size_t len)
{
	struct sb sb = { buf, size, 0 };

	tr_quote_sb(&sb, s, len);
	return sb_finish(&sb);
}

/* ---- per-call argument types ---------------------------------------------- */

enum argt {
	A_END, A_ADDR, A_USIZE, A_HEX, A_INT, A_FD, A_DIRFD, A_PROT,
	A_MMAPFL, A_MREMAPFL, A_NEWADDR, A_MADV, A_MLOCKFL, A_MCL, A_MS,
	A_VEC, A_PATH, A_OFLAGS, A_MODE, A_BYTES, A_LONG, A_SEEK,
};

struct callfmt {
	const char *name;
	unsigned char t[TR_MAX_ARGS];
	unsigned char hex_result;
};

static const struct callfmt callfmt[] = {
	{ "mmap", { A_ADDR, A_USIZE, A_PROT, A_MMAPFL, A_FD, A_HEX }, 1 },
	{ "munmap", { A_ADDR, A_USIZE }, 0 },
	{ "mprotect", { A_ADDR, A_USIZE, A_PROT }, 0 },
	{ "pkey_mprotect", { A_ADDR, A_USIZE, A_PROT, A_INT }, 0 },
	{ "mremap", { A_ADDR, A_USIZE, A_USIZE, A_MREMAPFL, A_NEWADDR }, 1 },
	{ "madvise", { A_ADDR, A_USIZE, A_MADV }, 0 },
	{ "mlock", { A_ADDR, A_USIZE }, 0 },
	{ "munlock", { A_ADDR, A_USIZE }, 0 },
	{ "mlock2", { A_ADDR, A_USIZE, A_MLOCKFL }, 0 },
	{ "mlockall", { A_MCL }, 0 },
	{ "munlockall", { A_END }, 0 },
	{ "msync", { A_ADDR, A_USIZE, A_MS }, 0 },
	{ "mincore", { A_ADDR, A_USIZE, A_VEC }, 0 },
	{ "brk", { A_ADDR }, 1 },
	{ "openat", { A_DIRFD, A_PATH, A_OFLAGS, A_MODE }, 0 },
	{ "open", { A_PATH, A_OFLAGS, A_MODE }, 0 },
	{ "close", { A_FD }, 0 },
	{ "dup", { A_FD }, 0 },
	{ "dup2", { A_FD, A_FD }, 0 },
	{ "ftruncate", { A_FD, A_USIZE }, 0 },
	{ "read", { A_FD, A_BYTES, A_USIZE }, 0 },
	{ "write", { A_FD, A_BYTES, A_USIZE }, 0 },
	{ "pread64", { A_FD, A_BYTES, A_USIZE, A_LONG }, 0 },
	{ "pwrite64", { A_FD, A_BYTES, A_USIZE, A_LONG }, 0 },
	{ "lseek", { A_FD, A_LONG, A_SEEK }, 0 },
	{ "exit", { A_INT }, 0 },
	{ "exit_group", { A_INT }, 0 },
	{ "store", { A_ADDR, A_BYTES }, 0 },
	{ "load", { A_ADDR, A_USIZE }, 0 },
	{ "fork", { A_END }, 0 },
	{ "maps", { A_END }, 0 },
};

static const struct callfmt *find_callfmt(const char *name)
{
	size_t i;

	for (i = 0; i < NELEM(callfmt); i++)
		if (strcmp(callfmt[i].name, name) == 0)
			return &callfmt[i];
	return NULL;
}

struct fmtctx {
	struct sb *sb;
	const struct tr_call *call;
	const struct tr_result *res;
	unsigned flags;
};

static unsigned long argv_(const struct fmtctx *cx, int i)
{
	return i < cx->call->nargs && i < TR_MAX_ARGS ? cx->call->args[i] : 0;
}

/* mincore's vec: bit 0 of each page's byte, at most 32 shown, as strace. */
static void put_vec(const struct fmtctx *cx)
{
	unsigned long len = argv_(cx, 1);
	unsigned long psz = cx->call->page_size ? cx->call->page_size : 4096;
	unsigned long n = len / psz + (len % psz != 0), i;
	int ok = cx->res && cx->res->kind == TR_RES_VALUE;

	if (!ok || !cx->call->vec) {
		put_addr(cx->sb, argv_(cx, 2));
		return;
	}
	sb_putc(cx->sb, '[');
	for (i = 0; i < n && i < 32; i++)
		sb_printf(cx->sb, i ? ", %u" : "%u", cx->call->vec[i] & 1u);
	if (n > 32)
		sb_puts(cx->sb, ", ...");
	sb_putc(cx->sb, ']');
}

static void put_string_arg(const struct fmtctx *cx, int i)
{
	if (cx->call->str)
		tr_quote_sb(cx->sb, cx->call->str, cx->call->str_len);
	else
		put_addr(cx->sb, argv_(cx, i));
}

/* Whether argument i of type t is printed at all (mremap's new_address,
 * open's mode are conditional, as in strace). */
static int arg_shown(const struct fmtctx *cx, int t, int i)
{
	unsigned long fl;

	if (t == A_NEWADDR)
		return (argv_(cx, i - 1) & 3) == 3;
	if (t == A_MODE) {
		fl = argv_(cx, i - 1);
		return (fl & 0100) || (fl & 020000000) == 020000000;
	}
	return 1;
}

static void put_arg(const struct fmtctx *cx, int t, int i)
{
	struct sb *sb = cx->sb;
	unsigned long v = argv_(cx, i);
	unsigned f = cx->flags;

	switch (t) {
	case A_ADDR: case A_NEWADDR: put_addr(sb, v); break;
	case A_USIZE: sb_printf(sb, "%lu", v); break;
	case A_HEX: put_hex(sb, v); break;
	case A_INT: case A_FD: sb_printf(sb, "%d", (int)v); break;
	case A_DIRFD:
		if ((int)v == -100)
			sb_puts(sb, "AT_FDCWD");
		else
			sb_printf(sb, "%d", (int)v);
		break;
	case A_PROT: put_flags(sb, C_PROT, v, "PROT_???", f); break;
	case A_MMAPFL: put_mmap_flags(sb, v, f); break;
	case A_MREMAPFL: put_flags(sb, C_MREMAP, v, "MREMAP_???", f); break;
	case A_MADV: put_xval(sb, C_MADV, (unsigned)v, "MADV_???", f); break;
	case A_MLOCKFL: put_flags(sb, C_MLOCK, (unsigned)v, "MLOCK_???", f); break;
	case A_MCL: put_flags(sb, C_MCL, (unsigned)v, "MCL_???", f); break;
	case A_MS: put_flags(sb, C_MS, (unsigned)v, "MS_???", f); break;
	case A_VEC: put_vec(cx); break;
	case A_PATH: case A_BYTES: put_string_arg(cx, i); break;
	case A_OFLAGS: put_open_flags(sb, v, f); break;
	case A_MODE: sb_printf(sb, "%#03o", (unsigned)(v & 0xffff)); break;
	case A_LONG: sb_printf(sb, "%ld", (long)v); break;
	case A_SEEK: put_xval(sb, C_SEEK, (unsigned)v, "SEEK_???", f); break;
	}
}

static void put_args(const struct fmtctx *cx, const struct callfmt *cf)
{
	int i, n = 0;

	for (i = 0; i < TR_MAX_ARGS; i++) {
		int t = cf ? cf->t[i] : (i < cx->call->nargs ? A_HEX : A_END);

		if (t == A_END)
			break;
		if (!arg_shown(cx, t, i))
			continue;
		if (n++)
			sb_puts(cx->sb, ", ");
		put_arg(cx, t, i);
	}
}

static void put_errno(struct sb *sb, int err)
{
	const char *name = tr_errno_name(err);
	int restart = err >= 512 && err <= 516 && err != 515;

	sb_puts(sb, restart ? "? " : "-1 ");
	if (!name) {   /* strace's form for a number it has no name for */
		sb_printf(sb, "(errno %d)", err);
		return;
	}
	sb_puts(sb, name);
	sb_printf(sb, " (%s)", tr_errno_text(err));
}

static void put_result(struct sb *sb, const struct tr_result *r, int hex)
{
	switch (r->kind) {
	case TR_RES_NONE: break;
	case TR_RES_VALUE:
		if (hex)
			put_hex(sb, r->value);
		else
			sb_printf(sb, "%ld", (long)r->value);
		break;
	case TR_RES_ERRNO: put_errno(sb, r->err); break;
	case TR_RES_UNKNOWN:
		if (r->err)
			put_errno(sb, r->err);
		else
			sb_putc(sb, '?');
		break;
	case TR_RES_BIND:
		sb_putc(sb, '$');
		sb_puts(sb, r->name ? r->name : "");
		break;
	case TR_RES_SIGNAL: {
		const char *s = tr_signal_name(r->sig);
		const char *c = tr_sicode_name(r->sig, r->si_code);

		if (s)
			sb_puts(sb, s);
		else
			sb_printf(sb, "%d", r->sig);
		if (r->has_code && c)
			sb_printf(sb, " %s", c);
		else if (r->has_code)
			sb_printf(sb, " %d", r->si_code);
		break;
	}
	case TR_RES_STRING:
		tr_quote_sb(sb, r->str ? r->str : "", r->str ? r->len : 0);
		if (r->truncated)
			sb_puts(sb, "...");
		break;
	}
}

int tr_format_call(char *buf, size_t size, const struct tr_call *call,
		   const struct tr_result *res, unsigned flags)
{
	struct sb sb = { buf, size, 0 };
	const struct callfmt *cf;
	struct fmtctx cx = { &sb, call, res, flags };
	const char *name = call->name ? call->name : "?";

	cf = find_callfmt(name);
	sb_puts(&sb, name);
	sb_putc(&sb, '(');
	put_args(&cx, cf);
	sb_putc(&sb, ')');
	if (res && res->kind != TR_RES_NONE) {
		sb_putc(&sb, ' ');
		while ((flags & TR_FMT_ALIGN) && sb.len < 40)
			sb_putc(&sb, ' ');
		sb_puts(&sb, "= ");
		put_result(&sb, res, cf ? cf->hex_result : 0);
	}
	return sb_finish(&sb);
}

struct tr_result tr_result_from_ret(long ret)
{
	struct tr_result r;

	memset(&r, 0, sizeof(r));
	if (ret < 0 && ret >= -4095) {
		r.kind = TR_RES_ERRNO;
		r.err = (int)-ret;
	} else {
		r.kind = TR_RES_VALUE;
		r.value = (unsigned long)ret;
	}
	return r;
}

int tr_format_syscall(char *buf, size_t size, const char *name,
		      const unsigned long *args, int nargs, long ret)
{
	struct tr_call c;
	struct tr_result r = tr_result_from_ret(ret);
	int i;

	memset(&c, 0, sizeof(c));
	c.name = name;
	c.nargs = nargs < 0 ? 0 : nargs > TR_MAX_ARGS ? TR_MAX_ARGS : nargs;
	for (i = 0; i < c.nargs; i++)
		c.args[i] = args[i];
	return tr_format_call(buf, size, &c, &r, 0);
}
