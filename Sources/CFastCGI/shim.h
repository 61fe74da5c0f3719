// Exposes libfcgi's request API (Debian: libfcgi-dev) to Swift. Only the FastCGI module
// imports this, through one file of wrappers.
#include <fcgiapp.h>
