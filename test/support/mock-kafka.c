/*
 * mock-kafka: a real Kafka-protocol broker cluster for tests and benchmarks,
 * built on librdkafka's mock cluster (rdkafka_mock.h, librdkafka-dev).
 *
 *   mock-kafka --brokers N [--topic name:partitions[:replication] ...]
 *
 * Prints "BOOTSTRAP host:port,host:port,..." on stdout once the cluster is up,
 * then reads one command per line on stdin and answers each with one line,
 * "OK [detail]" or "ERR reason". See `help` (or docs/testing-kafka.md).
 * Exits cleanly on stdin EOF, `quit`, SIGTERM or SIGINT (and, on Linux, when
 * the parent process dies).
 *
 * Build: cc -O2 -o mock-kafka mock-kafka.c $(pkg-config --cflags --libs rdkafka)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

static volatile sig_atomic_t stop_requested = 0;
static rd_kafka_mock_cluster_t *mcluster = NULL;
static int broker_cnt = 0;

static void on_signal(int sig) {
        (void)sig;
        stop_requested = 1;
}

/* Kafka protocol api keys by name (case-insensitive); numbers work too. */
static const struct {
        const char *name;
        int key;
} api_keys[] = {
    {"Produce", 0},          {"Fetch", 1},
    {"ListOffsets", 2},      {"Metadata", 3},
    {"OffsetCommit", 8},     {"OffsetFetch", 9},
    {"FindCoordinator", 10}, {"JoinGroup", 11},
    {"Heartbeat", 12},       {"LeaveGroup", 13},
    {"SyncGroup", 14},       {"DescribeGroups", 15},
    {"ListGroups", 16},      {"ApiVersions", 18},
    {"CreateTopics", 19},    {"InitProducerId", 22},
    {"AddPartitionsToTxn", 24}, {"AddOffsetsToTxn", 25},
    {"EndTxn", 26},          {"TxnOffsetCommit", 28},
};

static int parse_int(const char *s, long *out) {
        char *end;
        if (!s || !*s)
                return -1;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (errno || *end)
                return -1;
        *out = v;
        return 0;
}

static int parse_api_key(const char *s, int *out) {
        long v;
        size_t i;
        if (parse_int(s, &v) == 0) {
                if (v < 0 || v > 32767)
                        return -1;
                *out = (int)v;
                return 0;
        }
        for (i = 0; i < sizeof(api_keys) / sizeof(api_keys[0]); i++)
                if (!strcasecmp(s, api_keys[i].name)) {
                        *out = api_keys[i].key;
                        return 0;
                }
        return -1;
}

/* Error codes by number (e.g. 6) or librdkafka name (e.g. NOT_LEADER_FOR_PARTITION,
 * REQUEST_TIMED_OUT, _TRANSPORT; an "ERR_" or "RD_KAFKA_RESP_ERR_" prefix is allowed). */
static int parse_err(const char *s, rd_kafka_resp_err_t *out) {
        long v;
        const struct rd_kafka_err_desc *descs;
        size_t cnt, i;
        if (parse_int(s, &v) == 0) {
                *out = (rd_kafka_resp_err_t)v;
                return 0;
        }
        if (!strncasecmp(s, "RD_KAFKA_RESP_ERR_", 18))
                s += 18;
        else if (!strncasecmp(s, "ERR_", 4))
                s += 4;
        rd_kafka_get_err_descs(&descs, &cnt);
        for (i = 0; i < cnt; i++)
                if (descs[i].name && !strcasecmp(s, descs[i].name)) {
                        *out = descs[i].code;
                        return 0;
                }
        return -1;
}

static int check_broker(const char *s, int32_t *out, int allow_all) {
        long v;
        if (parse_int(s, &v) != 0)
                return -1;
        if (v == -1 && allow_all) {
                *out = -1;
                return 0;
        }
        if (v < 1 || v > broker_cnt)
                return -1;
        *out = (int32_t)v;
        return 0;
}

#define MAXARGS 16

static void reply_err(rd_kafka_resp_err_t err) {
        if (err)
                printf("ERR %s: %s\n", rd_kafka_err2name(err), rd_kafka_err2str(err));
        else
                printf("OK\n");
}

static const char *help_text =
    "commands: ping | bootstrap | topic NAME PARTITIONS [REPLICATION] | "
    "down BROKER|-1 | up BROKER|-1 | rtt BROKER|-1 MS | "
    "leader TOPIC PARTITION BROKER|-1 | follower TOPIC PARTITION BROKER | "
    "errors APIKEY COUNT ERRCODE [ERRCODE...] | "
    "broker-errors BROKER APIKEY COUNT ERRCODE [RTT_MS] | clear APIKEY | "
    "topic-error TOPIC ERRCODE | coordinator group|transaction KEY BROKER | "
    "apiversion APIKEY MIN MAX | rack BROKER|-1 RACK | quit";

/* Returns 1 to keep going, 0 to quit. */
static int handle(char *line) {
        char *argv[MAXARGS];
        int argc = 0;
        char *save = NULL, *tok;
        long n, m;
        int32_t broker;
        int api;
        rd_kafka_resp_err_t err;

        for (tok = strtok_r(line, " \t\r\n", &save); tok && argc < MAXARGS;
             tok = strtok_r(NULL, " \t\r\n", &save))
                argv[argc++] = tok;
        if (argc == 0 || argv[0][0] == '#')
                return 1; /* blank lines and comments get no answer */

        const char *cmd = argv[0];
#define USAGE(u)                                                               \
        do {                                                                   \
                printf("ERR usage: %s\n", u);                                  \
                return 1;                                                      \
        } while (0)

        if (!strcmp(cmd, "ping")) {
                printf("OK pong\n");
        } else if (!strcmp(cmd, "help")) {
                printf("OK %s\n", help_text);
        } else if (!strcmp(cmd, "quit") || !strcmp(cmd, "exit")) {
                printf("OK bye\n");
                return 0;
        } else if (!strcmp(cmd, "bootstrap")) {
                printf("OK %s\n", rd_kafka_mock_cluster_bootstraps(mcluster));
        } else if (!strcmp(cmd, "topic")) {
                long repl = broker_cnt < 3 ? broker_cnt : 3;
                if (argc < 3 || argc > 4 || parse_int(argv[2], &n) || n < 1 ||
                    (argc == 4 && (parse_int(argv[3], &repl) || repl < 1 ||
                                   repl > broker_cnt)))
                        USAGE("topic NAME PARTITIONS [REPLICATION]");
                reply_err(rd_kafka_mock_topic_create(mcluster, argv[1], (int)n,
                                                     (int)repl));
        } else if (!strcmp(cmd, "down") || !strcmp(cmd, "up")) {
                if (argc != 2 || check_broker(argv[1], &broker, 1))
                        USAGE("down|up BROKERID (1..N, or -1 for all)");
                reply_err(!strcmp(cmd, "down")
                              ? rd_kafka_mock_broker_set_down(mcluster, broker)
                              : rd_kafka_mock_broker_set_up(mcluster, broker));
        } else if (!strcmp(cmd, "rtt")) {
                if (argc != 3 || check_broker(argv[1], &broker, 1) ||
                    parse_int(argv[2], &n) || n < 0)
                        USAGE("rtt BROKERID|-1 MS");
                reply_err(rd_kafka_mock_broker_set_rtt(mcluster, broker, (int)n));
        } else if (!strcmp(cmd, "rack")) {
                if (argc != 3 || check_broker(argv[1], &broker, 1))
                        USAGE("rack BROKERID|-1 RACK");
                reply_err(rd_kafka_mock_broker_set_rack(mcluster, broker, argv[2]));
        } else if (!strcmp(cmd, "leader")) {
                if (argc != 4 || parse_int(argv[2], &n) || n < 0 ||
                    check_broker(argv[3], &broker, 1))
                        USAGE("leader TOPIC PARTITION BROKERID|-1");
                reply_err(rd_kafka_mock_partition_set_leader(mcluster, argv[1],
                                                             (int32_t)n, broker));
        } else if (!strcmp(cmd, "follower")) {
                if (argc != 4 || parse_int(argv[2], &n) || n < 0 ||
                    check_broker(argv[3], &broker, 0))
                        USAGE("follower TOPIC PARTITION BROKERID");
                reply_err(rd_kafka_mock_partition_set_follower(
                    mcluster, argv[1], (int32_t)n, broker));
        } else if (!strcmp(cmd, "errors")) {
                /* errors APIKEY COUNT ERRCODE [ERRCODE...]: with one code, COUNT
                 * copies of it; with several, they are used in order, cycling. */
                rd_kafka_resp_err_t codes[MAXARGS];
                rd_kafka_resp_err_t *errs;
                int ncodes = argc - 3, i;
                if (argc < 4 || parse_api_key(argv[1], &api) ||
                    parse_int(argv[2], &n) || n < 1 || n > 1000000)
                        USAGE("errors APIKEY COUNT ERRCODE [ERRCODE...]");
                for (i = 0; i < ncodes; i++)
                        if (parse_err(argv[3 + i], &codes[i])) {
                                printf("ERR unknown error code %s\n", argv[3 + i]);
                                return 1;
                        }
                errs = malloc(sizeof(*errs) * (size_t)n);
                if (!errs) {
                        printf("ERR out of memory\n");
                        return 1;
                }
                for (i = 0; i < n; i++)
                        errs[i] = codes[i % ncodes];
                rd_kafka_mock_push_request_errors_array(mcluster, (int16_t)api,
                                                        (size_t)n, errs);
                free(errs);
                printf("OK\n");
        } else if (!strcmp(cmd, "broker-errors")) {
                /* broker-errors BROKER APIKEY COUNT ERRCODE [RTT_MS] */
                long rtt = 0, i;
                if (argc < 5 || argc > 6 || check_broker(argv[1], &broker, 0) ||
                    parse_api_key(argv[2], &api) || parse_int(argv[3], &n) ||
                    n < 1 || parse_err(argv[4], &err) ||
                    (argc == 6 && (parse_int(argv[5], &rtt) || rtt < 0)))
                        USAGE("broker-errors BROKERID APIKEY COUNT ERRCODE [RTT_MS]");
                for (i = 0; i < n; i++) {
                        rd_kafka_resp_err_t r =
                            rd_kafka_mock_broker_push_request_error_rtts(
                                mcluster, broker, (int16_t)api, 1, err, (int)rtt);
                        if (r) {
                                reply_err(r);
                                return 1;
                        }
                }
                printf("OK\n");
        } else if (!strcmp(cmd, "clear")) {
                if (argc != 2 || parse_api_key(argv[1], &api))
                        USAGE("clear APIKEY");
                rd_kafka_mock_clear_request_errors(mcluster, (int16_t)api);
                printf("OK\n");
        } else if (!strcmp(cmd, "topic-error")) {
                if (argc != 3 || parse_err(argv[2], &err))
                        USAGE("topic-error TOPIC ERRCODE");
                rd_kafka_mock_topic_set_error(mcluster, argv[1], err);
                printf("OK\n");
        } else if (!strcmp(cmd, "coordinator")) {
                if (argc != 4 || (strcmp(argv[1], "group") &&
                                  strcmp(argv[1], "transaction")) ||
                    parse_int(argv[3], &n))
                        USAGE("coordinator group|transaction KEY BROKERID");
                reply_err(rd_kafka_mock_coordinator_set(mcluster, argv[1], argv[2],
                                                        (int32_t)n));
        } else if (!strcmp(cmd, "apiversion")) {
                if (argc != 4 || parse_api_key(argv[1], &api) ||
                    parse_int(argv[2], &n) || parse_int(argv[3], &m))
                        USAGE("apiversion APIKEY MIN MAX (-1 -1 disables)");
                reply_err(rd_kafka_mock_set_apiversion(mcluster, (int16_t)api,
                                                       (int16_t)n, (int16_t)m));
        } else {
                printf("ERR unknown command '%s' (try: help)\n", cmd);
        }
        return 1;
}

static void usage(const char *argv0) {
        fprintf(stderr,
                "usage: %s --brokers N [--topic name:partitions[:replication] ...]\n",
                argv0);
}

int main(int argc, char **argv) {
        char errstr[512];
        char line[4096];
        int i;
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        struct sigaction sa;

        setvbuf(stdout, NULL, _IOLBF, 0);
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() == 1)
                return 1; /* parent already gone */
#endif

        broker_cnt = 3;
        for (i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "--brokers") && i + 1 < argc) {
                        long v;
                        if (parse_int(argv[++i], &v) || v < 1 || v > 64) {
                                usage(argv[0]);
                                return 2;
                        }
                        broker_cnt = (int)v;
                } else if (!strcmp(argv[i], "--topic") && i + 1 < argc) {
                        i++; /* created below, once the cluster exists */
                } else {
                        usage(argv[0]);
                        return 2;
                }
        }

        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = 0; /* no SA_RESTART: a blocked read returns EINTR */
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
        signal(SIGPIPE, SIG_IGN);

        /* librdkafka's threads inherit this mask: keep SIGTERM/SIGINT off them so
         * the signal interrupts the main thread's blocking read of stdin. */
        sigset_t block, saved;
        sigemptyset(&block);
        sigaddset(&block, SIGTERM);
        sigaddset(&block, SIGINT);
        pthread_sigmask(SIG_BLOCK, &block, &saved);

        /* The mock cluster lives inside an rd_kafka_t; this producer is only its
         * host and never produces or connects anywhere. */
        conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "client.id", "mock-kafka", errstr,
                              sizeof(errstr)) != RD_KAFKA_CONF_OK ||
            rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof(errstr)) !=
                RD_KAFKA_CONF_OK) {
                fprintf(stderr, "mock-kafka: config: %s\n", errstr);
                return 1;
        }
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "mock-kafka: rd_kafka_new: %s\n", errstr);
                return 1;
        }
        mcluster = rd_kafka_mock_cluster_new(rk, broker_cnt);
        if (!mcluster) {
                fprintf(stderr, "mock-kafka: failed to create mock cluster\n");
                rd_kafka_destroy(rk);
                return 1;
        }

        for (i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "--topic")) {
                        char spec[512], *name, *p;
                        long parts = 1, repl = broker_cnt < 3 ? broker_cnt : 3;
                        rd_kafka_resp_err_t err;
                        snprintf(spec, sizeof(spec), "%s", argv[++i]);
                        name = spec;
                        if ((p = strchr(spec, ':'))) {
                                char *q;
                                *p++ = '\0';
                                if ((q = strchr(p, ':'))) {
                                        *q++ = '\0';
                                        if (parse_int(q, &repl) || repl < 1 ||
                                            repl > broker_cnt)
                                                repl = -1;
                                }
                                if (parse_int(p, &parts) || parts < 1)
                                        parts = -1;
                        }
                        if (!*name || parts < 1 || repl < 1) {
                                fprintf(stderr, "mock-kafka: bad --topic %s\n",
                                        argv[i]);
                                rd_kafka_mock_cluster_destroy(mcluster);
                                rd_kafka_destroy(rk);
                                return 2;
                        }
                        err = rd_kafka_mock_topic_create(mcluster, name, (int)parts,
                                                         (int)repl);
                        if (err) {
                                fprintf(stderr, "mock-kafka: topic %s: %s\n", name,
                                        rd_kafka_err2str(err));
                                rd_kafka_mock_cluster_destroy(mcluster);
                                rd_kafka_destroy(rk);
                                return 1;
                        }
                }
        }

        pthread_sigmask(SIG_SETMASK, &saved, NULL);
        printf("BOOTSTRAP %s\n", rd_kafka_mock_cluster_bootstraps(mcluster));

        while (!stop_requested) {
                if (!fgets(line, sizeof(line), stdin)) {
                        if (ferror(stdin) && errno == EINTR && !stop_requested) {
                                clearerr(stdin);
                                continue;
                        }
                        break; /* EOF, or a signal asked us to stop */
                }
                if (!handle(line))
                        break;
        }

        rd_kafka_mock_cluster_destroy(mcluster);
        rd_kafka_destroy(rk);
        return 0;
}
