#!/usr/bin/env bash
# A throwaway single-node Slurm (munged, slurmctld, slurmd on 127.0.0.1) for the sweep test, everything
# (key, sockets, state, logs, pid files) under one scratch folder. Needs root and Debian's slurm-wlm + munge.
#   slurm-single-node.sh start DIR   prints the SLURM_CONF path to export for sbatch/squeue
#   slurm-single-node.sh stop DIR
set -euo pipefail
action=$1
dir=$(realpath -m "$2")

stop() {
  # Cancel what still runs, then stop the daemons and wait for them (and the job steps) to go.
  if [ -f "$dir"/slurm.conf ]; then
    export SLURM_CONF="$dir"/slurm.conf
    scancel --user="$(id -un)" 2>/dev/null || true
    # Let the job steps finish their clean-up while slurmd is still there to reap them.
    for _ in $(seq 1 40); do
      [ -z "$(squeue -h 2>/dev/null)" ] && break
      sleep 0.25
    done
    sleep 0.5
  fi
  pids=()
  for pid_file in "$dir"/slurmd.pid "$dir"/slurmctld.pid "$dir"/munged.pid; do
    if [ -f "$pid_file" ]; then
      pids+=("$(cat "$pid_file")")
    fi
  done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 40); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.25
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -f "$dir"/slurmd.pid "$dir"/slurmctld.pid "$dir"/munged.pid
}

if [ "$action" = stop ]; then
  stop
  exit 0
fi

mkdir -p "$dir"/state "$dir"/spool "$dir"/munge
chmod 700 "$dir"/munge
head -c 1024 /dev/urandom > "$dir"/munge/munge.key
chmod 400 "$dir"/munge/munge.key
munged --force --key-file="$dir"/munge/munge.key --socket="$dir"/munge/socket --pid-file="$dir"/munged.pid \
  --log-file="$dir"/munged.log --seed-file="$dir"/munge/seed

host=$(hostname -s)
# Ports from the folder name's hash, so parallel test runs do not collide.
base=$(( 20000 + $(echo -n "$dir" | cksum | cut -d' ' -f1) % 20000 ))
cat > "$dir"/slurm.conf <<CONF
ClusterName=redifine-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$base
SlurmdPort=$(( base + 1 ))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 RealMemory=4000 State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir"/slurm.conf
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
# Wait until the node accepts work.
for _ in $(seq 1 60); do
  if sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
    echo "$SLURM_CONF"
    exit 0
  fi
  sleep 0.5
done
echo "slurm-single-node: the node did not come up; see $dir/*.log" >&2
stop
exit 1
