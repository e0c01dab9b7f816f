#!/bin/sh
# One-shot (docker-compose.yml service `temporal-setup`, image temporalio/admin-tools): waits for
# the Temporal frontend, creates the namespace and registers Quillflow's search attributes
# (QUILLFLOW_SEARCH_ATTRIBUTES: "Name=Type ..." = SEARCH_ATTRIBUTE_CLI_SPECS in
# temporal/search-attributes.ts; docker/compose.spec.ts keeps the two equal). Idempotent.
set -eu

: "${TEMPORAL_ADDRESS:=temporal:7233}"
: "${TEMPORAL_NAMESPACE:=default}"
: "${TEMPORAL_NAMESPACE_RETENTION:=720h}"
: "${QUILLFLOW_SEARCH_ATTRIBUTES:?QUILLFLOW_SEARCH_ATTRIBUTES is required}"

t() { temporal "$@" --address "$TEMPORAL_ADDRESS"; }

tries=0
until t operator cluster health 2>/dev/null | grep -q SERVING; do
  tries=$((tries + 1))
  [ "$tries" -lt 90 ] || { echo "Temporal at $TEMPORAL_ADDRESS is not serving" >&2; exit 1; }
  sleep 2
done

if t operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; then
  echo "temporal-setup: namespace $TEMPORAL_NAMESPACE exists"
else
  echo "temporal-setup: creating namespace $TEMPORAL_NAMESPACE (retention $TEMPORAL_NAMESPACE_RETENTION)"
  t operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention "$TEMPORAL_NAMESPACE_RETENTION"
fi

registered() { t operator search-attribute list --namespace "$TEMPORAL_NAMESPACE" | awk '{ print $1 "=" $2 }'; }

# A new namespace takes a few seconds to reach every frontend's cache.
tries=0
until t operator search-attribute list --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; do
  tries=$((tries + 1))
  [ "$tries" -lt 60 ] || { echo "namespace $TEMPORAL_NAMESPACE not usable" >&2; exit 1; }
  sleep 1
done

existing=$(registered)
for spec in $QUILLFLOW_SEARCH_ATTRIBUTES; do
  name=${spec%%=*}
  type=${spec#*=}
  if printf '%s\n' "$existing" | grep -qx -- "$spec"; then
    echo "temporal-setup: $spec registered"
  elif printf '%s\n' "$existing" | grep -q -- "^$name="; then
    echo "temporal-setup: $name exists with another type ($(printf '%s\n' "$existing" | grep -- "^$name=")); expected $type" >&2
    exit 1
  else
    echo "temporal-setup: registering $spec"
    t operator search-attribute create --namespace "$TEMPORAL_NAMESPACE" --name "$name" --type "$type"
  fi
done

# Registration can take a moment to show (the server refreshes its cache): wait until all do.
tries=0
for spec in $QUILLFLOW_SEARCH_ATTRIBUTES; do
  until registered | grep -qx -- "$spec"; do
    tries=$((tries + 1))
    [ "$tries" -lt 30 ] || { echo "search attribute $spec not visible" >&2; exit 1; }
    sleep 1
  done
done
echo "temporal-setup: done"
