/*
 * A FastCGI responder that answers every request with one constant JSON body: the ceiling of
 * the nginx -> FastCGI -> worker architecture, with no model and no JSON work behind it.
 *
 *     constant_responder SOCKET_PATH PROCESSES THREADS 'ANSWER'
 *
 * It takes the layout of `augur serve`: one listening unix socket made before the fork, then
 * PROCESSES processes (the first one included) with THREADS accept threads each, every thread
 * calling FCGX_Accept_r on the shared socket (no accept lock, as Augur's workers). Each request
 * body is read to its end before the answer is written, as a real worker must. The socket is
 * made 0666 because nginx's workers do not run as the user that started the benchmark.
 *
 * Built by bench/http/run.py: gcc -O2 constant_responder.c -o ... -lfcgi -lpthread
 */
#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int listening_socket;
static const char *answer;
static size_t answer_length;

static void *serve(void *unused) {
    (void)unused;
    FCGX_Request request;
    char header[160];
    char scratch[65536];
    if (FCGX_InitRequest(&request, listening_socket, 0) != 0) {
        return NULL;
    }
    int header_length = snprintf(header, sizeof header,
                                 "Status: 200 OK\r\nContent-Type: application/json\r\n"
                                 "Content-Length: %zu\r\n\r\n",
                                 answer_length);
    while (FCGX_Accept_r(&request) >= 0) {
        /* The whole body, as a worker that parses it would. */
        while (FCGX_GetStr(scratch, sizeof scratch, request.in) > 0) {
        }
        FCGX_PutStr(header, header_length, request.out);
        FCGX_PutStr(answer, (int)answer_length, request.out);
        FCGX_Finish_r(&request);
    }
    return NULL;
}

static void run_threads(int threads) {
    pthread_t *ids = calloc((size_t)threads, sizeof *ids);
    for (int index = 0; index < threads; index++) {
        if (pthread_create(&ids[index], NULL, serve, NULL) != 0) {
            perror("pthread_create");
            exit(1);
        }
    }
    for (int index = 0; index < threads; index++) {
        pthread_join(ids[index], NULL);
    }
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s SOCKET_PATH PROCESSES THREADS ANSWER\n", argv[0]);
        return 2;
    }
    const char *path = argv[1];
    int processes = atoi(argv[2]);
    int threads = atoi(argv[3]);
    answer = argv[4];
    answer_length = strlen(answer);
    if (processes < 1 || threads < 1) {
        fprintf(stderr, "PROCESSES and THREADS must be at least 1\n");
        return 2;
    }
    if (FCGX_Init() != 0) {
        fprintf(stderr, "FCGX_Init failed\n");
        return 1;
    }
    /* FCGX_Init installs a SIGTERM handler that only marks a shutdown, which threads blocked
     * in accept never see: the harness's SIGTERM must end the process instead. */
    signal(SIGTERM, SIG_DFL);
    unlink(path);
    /* The same listen backlog as Augur's pool (1024). */
    listening_socket = FCGX_OpenSocket(path, 1024);
    if (listening_socket < 0) {
        fprintf(stderr, "cannot listen on %s\n", path);
        return 1;
    }
    if (chmod(path, 0666) != 0) {
        perror("chmod");
        return 1;
    }
    /* The harness stops the whole process group, children included. */
    for (int index = 1; index < processes; index++) {
        pid_t child = fork();
        if (child < 0) {
            perror("fork");
            return 1;
        }
        if (child == 0) {
            run_threads(threads);
            return 0;
        }
    }
    run_threads(threads);
    while (wait(NULL) > 0) {
    }
    return 0;
}
