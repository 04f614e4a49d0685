#!/usr/bin/env bash
# Installs the real parts the tests drive (Debian packages), once, when missing.
# librdkafka-dev: the Kafka mock cluster behind test/support/mock-kafka.c.
# chromium: the browser for the wallboard e2e tests.
set -euo pipefail
need=()
[ -f /usr/include/librdkafka/rdkafka_mock.h ] || need+=(librdkafka-dev)
command -v cc >/dev/null || need+=(gcc)
command -v pkg-config >/dev/null || need+=(pkg-config)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "test setup: missing ${need[*]}; install them with: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "test setup: installing ${need[*]} from Debian" >&2
  # Other sessions may be running apt at the same time: wait for the dpkg lock instead of failing.
  apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" >/dev/null
fi
