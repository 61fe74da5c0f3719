// libFuzzer's driver, as its own headers declare it (FuzzerInterface.h / FuzzerDriver.cpp):
// runs the fuzzing loop with the given command line over the given entry point.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(
    int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
