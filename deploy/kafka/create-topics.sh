#!/usr/bin/env bash
# Creates the topics listed in $TOPICS_FILE on the cluster at $KAFKA_BOOTSTRAP, once, then exits: the
# `kafka-init` service of docker-compose.yml. Existing topics are left as they are (--if-not-exists).
# Retries while the brokers register (a replication factor of 3 needs all three) and gives up after
# $WAIT_SECONDS with a message, so a stack started without a Kafka profile fails visibly.
set -euo pipefail

bootstrap="${KAFKA_BOOTSTRAP:-kafka:29092}"
topics_file="${TOPICS_FILE:-/opt/streamkit/topics.txt}"
deadline=$((SECONDS + ${WAIT_SECONDS:-180}))
kafka_topics=/opt/kafka/bin/kafka-topics.sh

give_up() {
    echo "kafka-init: $1 (is a Kafka profile on? docker compose --profile cluster|single up)" >&2
    exit 1
}

until "$kafka_topics" --bootstrap-server "$bootstrap" --list >/dev/null 2>&1 </dev/null; do
    ((SECONDS < deadline)) || give_up "no broker answered at $bootstrap"
    sleep 2
done

# The list is read on descriptor 3 so that kafka-topics.sh cannot swallow it from standard input.
while read -r name partitions configs <&3; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    args=(--bootstrap-server "$bootstrap" --create --if-not-exists --topic "$name" --partitions "$partitions")
    if [[ -n "${configs:-}" ]]; then
        IFS=',' read -r -a pairs <<<"$configs"
        for pair in "${pairs[@]}"; do args+=(--config "$pair"); done
    fi
    until "$kafka_topics" "${args[@]}" </dev/null; do
        ((SECONDS < deadline)) || give_up "could not create $name"
        sleep 2
    done
done 3<"$topics_file"

"$kafka_topics" --bootstrap-server "$bootstrap" --describe </dev/null | grep -E '^Topic:' || true
echo "kafka-init: topics ready"
