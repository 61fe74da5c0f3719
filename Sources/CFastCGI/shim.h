// Exposes libfcgi's request API (Debian: libfcgi-dev) to Swift. Only the FastCGI module
// imports this, through one file of wrappers, and for epoll, which Swift's Glibc module
// leaves out (IdleWait.swift), and for mallopt and malloc_trim (WorkerMemory.swift).
#include <fcgiapp.h>
#ifdef __linux__
#include <sys/epoll.h>
#endif
#ifdef __GLIBC__
#include <malloc.h>
#endif
