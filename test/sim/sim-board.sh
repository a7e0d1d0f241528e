#!/usr/bin/env bash
# Simulated Jetson boards for the scripts and e2e test tiers.
#
# A board is a network namespace joined to the root namespace by a veth pair, plus a mount and UTS
# namespace whose root is an overlay of the host's / (changes land in <board>/upper), entered with
# chroot. Inside runs the board's own OpenSSH server with its own host key, user `jetson` (sudo asks
# for a password) and small emulators of the L4T tools that keep their state in files on the board.
#
#   sim-board.sh up NAME INDEX BOARD_KIND L4T_RELEASE   start (or keep) a board; prints its address
#   sim-board.sh down NAME                              stop it and remove its directory
#   sim-board.sh stop-sshd NAME | start-sshd NAME       make the board unreachable / reachable again
#   sim-board.sh ip NAME                                the board's address
#   sim-board.sh exec NAME COMMAND...                   run a command as root on the board
#   sim-board.sh snapshot NAME                          how the board differs from the host's /
#
# With EDGECALL_SIM_CLUSTER naming a file of KEY=VALUE lines (KUBE_BIN, the multi-call Kubernetes
# binary; CONTAINERD_STORE, a containerd store holding the cluster's images, from cluster-store.sh),
# `up` starts a board that can run a real cluster node: the K3s stand-in (k3s/, copied onto the
# board) and the Kubernetes binary (bound read-only into it) are named in /etc/edgecall-sim/cluster
# by their paths on the board, so the checkout may be anywhere, /tmp included (each board has a
# /tmp of its own); the board gets /dev/kmsg, the machine's cgroups (its processes in cgroup
# edgecall-sim/NAME of every hierarchy), a plain directory for containerd holding a copy of the
# store (hard links: the images are on its disk before K3s starts, as on a board that has them),
# its pods' /24 routed to it, and INA3221 power rails whose power follows the board's CPU use (see
# rails_loop). `down` then also kills what runs in the board's cgroups and, after the last such
# board, restores the sysctls kubelets change.
#
# Needs root. Boards live under ${EDGECALL_SIM_DIR:-/tmp/edgecall-sim}. Every command is idempotent.
set -euo pipefail

SIM_DIR=${EDGECALL_SIM_DIR:-/tmp/edgecall-sim}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF="$HERE/$(basename "${BASH_SOURCE[0]}")"
# Board INDEX i gets the /30 at 10.213.7.(4i): the host end is .4i+1, the board .4i+2. The whole
# /24 is used for nothing but these namespaces.
SUBNET_PREFIX=10.213.7
MAX_INDEX=62
SIM_USER=jetson
# The sudo password of the simulated user; tests also read it from boards.ts. Not a real secret.
SIM_SUDO_PASSWORD=edgecall-sim-sudo
# Cluster state the machine running the tests may hold itself (its own kubelet, CNI or K3s). A
# board starts without them: K3s's uninstall removes them from the board, and a destroy must not
# look as if it had lost what the board never had.
HOST_CLUSTER_DIRS="/var/lib/kubelet /var/lib/rancher /etc/rancher /var/lib/cni /etc/cni /var/lib/etcd /etc/kubernetes /run/k3s"
# Host-wide settings a cluster board's kubelet or routing changes, put back after the last one.
HOST_SYSCTLS="kernel.panic kernel.panic_on_oops vm.overcommit_memory net.ipv4.ip_forward"
# The simulated power model (see rails_loop): idle plus this much at the machine's full CPU, mW.
RAIL_IDLE_MW=2000
RAIL_FULL_MW=8000
RAIL_MV=5000
# Where a cluster board finds the K3s stand-in and the Kubernetes binary, on the board itself.
BOARD_LAUNCHER_DIR=/opt/edgecall-sim/k3s
BOARD_KUBE_BIN=/opt/edgecall-sim/bin/kube

# shellcheck source=/dev/null # checked on its own
. "$HERE/lib/store-copy.sh"

die() {
  echo "sim-board: $*" >&2
  exit 1
}

board_dir() { echo "$SIM_DIR/$1"; }
netns_name() { echo "edgecall-sim-$1"; }
holder_pid() {
  local pid_file
  pid_file="$(board_dir "$1")/holder.pid"
  [ -f "$pid_file" ] || return 1
  local pid
  pid=$(cat "$pid_file")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

check_name() {
  [[ $1 =~ ^[a-z][a-z0-9-]{0,30}$ ]] || die "board name '$1' must be lowercase letters, digits and dashes (at most 31)"
}

board_ip() {
  local index_file
  index_file="$(board_dir "$1")/index"
  [ -f "$index_file" ] || die "no board named $1 under $SIM_DIR; start it with: sim-board.sh up $1 INDEX KIND RELEASE"
  echo "$SUBNET_PREFIX.$(($(cat "$index_file") * 4 + 2))"
}

# Runs a command in the board's network, mount and UTS namespaces (the board's root is mounted at
# <board>/merged only there).
in_ns() {
  local name=$1 pid
  shift
  pid=$(holder_pid "$name") || die "board $name is not running; start it with: sim-board.sh up $name INDEX KIND RELEASE"
  # What runs on a cluster board, its sshd among it, is in the board's cgroups.
  if [ -f "$(board_dir "$name")/cluster" ]; then join_board_cgroups "$name"; fi
  nsenter -t "$pid" -n -m -u -- "$@"
}

# Runs a command on the board as root: in its namespaces, chrooted to its root (a cluster board's
# holder made the board's root the root of its mount namespace, so entering that is enough).
in_board() {
  local name=$1
  shift
  if [ -f "$(board_dir "$name")/cluster" ]; then
    in_ns "$name" "$@"
  else
    in_ns "$name" chroot "$(board_dir "$name")/merged" "$@"
  fi
}

l4t_release_line() {
  # R32.7.1 -> "# R32 (release), REVISION: 7.1, ..." as /etc/nv_tegra_release has it.
  local release=$1 major revision board
  [[ $release =~ ^R([0-9]+)\.([0-9]+\.[0-9]+)$ ]] || die "L4T release '$release' must look like R32.7.1"
  major=${BASH_REMATCH[1]} revision=${BASH_REMATCH[2]}
  case $2 in
    nano) board=t210ref ;;
    xavier) board=t186ref ;;
    orin) board=t186ref ;;
  esac
  echo "# R$major (release), REVISION: $revision, GCID: 00000000, BOARD: $board, EABI: aarch64, DATE: Mon Jan 1 00:00:00 UTC 2024"
}

board_model() {
  case $1 in
    nano) echo "NVIDIA Jetson Nano Developer Kit" ;;
    xavier) echo "Jetson-AGX Xavier Developer Kit" ;;
    orin) echo "NVIDIA Jetson AGX Orin Developer Kit" ;;
  esac
}

# The board's initial files, written through the mounted overlay so they land in its upper dir.
seed_board() {
  local name=$1 kind=$2 release=$3 root
  root="$(board_dir "$name")/merged"

  local dir
  for dir in $HOST_CLUSTER_DIRS; do rm -rf "${root:?}$dir"; done

  echo "$name" >"$root/etc/hostname"
  printf '127.0.0.1 localhost\n127.0.1.1 %s\n' "$name" >"$root/etc/hosts"
  l4t_release_line "$release" "$kind" >"$root/etc/nv_tegra_release"

  mkdir -p "$root/etc/edgecall-sim"
  echo "$kind" >"$root/etc/edgecall-sim/board"

  # Device nodes the board's tools need, bound from the host; GPU nodes are plain files a test may delete.
  local node
  for node in null zero random urandom tty; do
    [ -e "$root/dev/$node" ] || touch "$root/dev/$node"
  done
  ln -sfn /proc/self/fd "$root/dev/fd"
  case $kind in
    nano) touch "$root/dev/nvhost-gpu" "$root/dev/nvhost-ctrl-gpu" ;;
    *) mkdir -p "$root/dev/nvgpu/igpu0" && touch "$root/dev/nvgpu/igpu0/ctrl" "$root/dev/nvhost-ctrl-gpu" ;;
  esac

  # /sys is plain files here, not sysfs.
  mkdir -p "$root/sys/firmware/devicetree/base" "$root/sys/devices/pwm-fan"
  printf '%s\0' "$(board_model "$kind")" >"$root/sys/firmware/devicetree/base/model"
  echo 0 >"$root/sys/devices/pwm-fan/target_pwm"
  local cpu
  for cpu in 0 1 2 3; do
    mkdir -p "$root/sys/devices/system/cpu/cpu$cpu/cpufreq"
    echo 102000 >"$root/sys/devices/system/cpu/cpu$cpu/cpufreq/scaling_min_freq"
    echo 1479000 >"$root/sys/devices/system/cpu/cpu$cpu/cpufreq/scaling_max_freq"
  done
  mkdir -p "$root/sys/devices/gpu.0/devfreq"
  echo 76800000 >"$root/sys/devices/gpu.0/devfreq/min_freq"
  echo 921600000 >"$root/sys/devices/gpu.0/devfreq/max_freq"
  mkdir -p "$root/sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0"
  echo 5000 >"$root/sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0/in_voltage0_input"
  echo 400 >"$root/sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0/in_current0_input"
  echo 2000 >"$root/sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0/in_power0_input"
  echo POM_5V_IN >"$root/sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0/rail_name_0"

  if [ -n "${EDGECALL_SIM_CLUSTER:-}" ]; then
    rm -rf "${root:?}$BOARD_LAUNCHER_DIR"
    mkdir -p "$root$BOARD_LAUNCHER_DIR" "$(dirname "$root$BOARD_KUBE_BIN")"
    cp -a "$HERE/k3s/." "$root$BOARD_LAUNCHER_DIR/"
    # The mount point of the Kubernetes binary (cluster_mounts).
    : >"$root$BOARD_KUBE_BIN"
    {
      echo "KUBE_BIN=$BOARD_KUBE_BIN"
      echo "BOARD_NAME=$name"
      echo "BOARD_INDEX=$(cat "$(board_dir "$name")/index")"
      echo "PLAIN_DIR=/run/edgecall-sim/plain"
      echo "LAUNCHER_DIR=$BOARD_LAUNCHER_DIR"
    } >"$root/etc/edgecall-sim/cluster"
  fi

  # L4T tool emulators; the ones in /usr/local/sbin come before the real tools in sudo's secure_path.
  install -m 755 "$HERE/emulators/nvpmodel" "$root/usr/sbin/nvpmodel"
  install -m 755 "$HERE/emulators/edgecall-sim-cpu-quota" "$root/usr/sbin/edgecall-sim-cpu-quota"
  install -m 755 "$HERE/emulators/jetson_clocks" "$root/usr/bin/jetson_clocks"
  install -m 755 "$HERE/emulators/tegrastats" "$root/usr/bin/tegrastats"
  install -m 755 "$HERE/emulators/systemctl" "$root/usr/local/sbin/systemctl"
  install -m 755 "$HERE/emulators/swapon" "$root/usr/local/sbin/swapon"
  install -m 755 "$HERE/emulators/swapoff" "$root/usr/local/sbin/swapoff"
  mkdir -p "$root/var/lib/nvpmodel"
  echo "pmode:0000 fmode:quiet" >"$root/var/lib/nvpmodel/status"

  # systemd's view: graphical boot by default (as JetPack ships) and Docker installed and running.
  mkdir -p "$root/etc/systemd/system" "$root/lib/systemd/system"
  ln -sfn /lib/systemd/system/graphical.target "$root/etc/systemd/system/default.target"
  printf '[Unit]\nDescription=Docker (simulated)\n' >"$root/lib/systemd/system/docker.service"
  # JetPack ships the NVIDIA runtime registered but not the default.
  mkdir -p "$root/etc/docker"
  printf '{\n    "runtimes": {\n        "nvidia": {\n            "path": "nvidia-container-runtime",\n            "runtimeArgs": []\n        }\n    }\n}\n' \
    >"$root/etc/docker/daemon.json"

  # The login user, its key and a sudo that asks for the password.
  if ! chroot "$root" id -u "$SIM_USER" >/dev/null 2>&1; then
    chroot "$root" useradd --create-home --shell /bin/bash "$SIM_USER"
  fi
  printf '%s:%s\n' "$SIM_USER" "$SIM_SUDO_PASSWORD" | chroot "$root" chpasswd
  echo "$SIM_USER ALL=(ALL:ALL) ALL" >"$root/etc/sudoers.d/edgecall-sim"
  chmod 440 "$root/etc/sudoers.d/edgecall-sim"
  install -d -m 700 -o "$(chroot "$root" id -u "$SIM_USER")" -g "$(chroot "$root" id -g "$SIM_USER")" "$root/home/$SIM_USER/.ssh"
  install -m 600 -o "$(chroot "$root" id -u "$SIM_USER")" -g "$(chroot "$root" id -g "$SIM_USER")" \
    "$SIM_DIR/id_ed25519.pub" "$root/home/$SIM_USER/.ssh/authorized_keys"

  mkdir -p "$root/etc/edgecall-sim/ssh"
  [ -f "$root/etc/edgecall-sim/ssh/host_ed25519" ] ||
    ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$root/etc/edgecall-sim/ssh/host_ed25519"
  cat >"$root/etc/edgecall-sim/ssh/sshd_config" <<EOF
ListenAddress $(board_ip "$name"):22
HostKey /etc/edgecall-sim/ssh/host_ed25519
PidFile /run/edgecall-sim-sshd.pid
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PermitRootLogin no
AllowUsers $SIM_USER
X11Forwarding no
PrintMotd no
PrintLastLog no
# Pulumi's CopyToRemote (air-gap files) speaks SFTP.
Subsystem sftp internal-sftp
LoginGraceTime 20
MaxStartups 30:30:100
EOF
  touch "$(board_dir "$name")/seeded"
}

# Runs in the board's new namespaces (started by `up`): mounts its root and stays as the process
# that keeps those namespaces alive.
holder() {
  local name=$1 kind=$2 release=$3 dir root
  dir=$(board_dir "$name")
  root="$dir/merged"
  echo $$ >"$dir/holder.pid"
  hostname "$name"
  mount -t overlay overlay -o "lowerdir=/,upperdir=$dir/upper,workdir=$dir/work" "$root"
  # The host's root file system without its submounts: what the board started from (for snapshots).
  mount --bind / "$dir/lower"
  mount -t proc proc "$root/proc"
  mount -t tmpfs -o mode=755 tmpfs "$root/run"
  mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
  local node
  for node in null zero random urandom tty; do
    [ -e "$root/dev/$node" ] || touch "$root/dev/$node"
    mount --bind "/dev/$node" "$root/dev/$node"
  done
  mkdir -p "$root/run/sshd"
  chmod 755 "$root/run/sshd"
  # As after boot on JetPack: Docker runs (see the systemctl emulator).
  mkdir -p "$root/run/edgecall-sim/units"
  touch "$root/run/edgecall-sim/units/docker.service"
  ip link set lo up
  if [ -f "$dir/cluster" ]; then
    [ -f "$dir/seeded" ] || seed_board "$name" "$kind" "$release"
    cluster_mounts "$name"
    # Says it is ready itself: the board's directory is out of reach once the root has moved.
    pivot_into_board "$name"
  else
    echo ready >"$dir/holder.ready"
  fi
  exec sleep infinity
}

# Makes the board's root the root of its mount namespace (the machine's / stays at
# /run/edgecall-sim/host in it, where snapshots read the overlay's layers). Under a chroot, a
# container's mount namespace would keep the machine's / at its top, and `runc exec` (exec probes,
# `kubectl exec`) would land there instead of in the container.
pivot_into_board() {
  local name=$1 root host_dir
  root="$(board_dir "$name")/merged"
  host_dir="/run/edgecall-sim/host"
  mkdir -p "$root$host_dir"
  echo ready >"$(board_dir "$name")/holder.ready"
  cd "$root"
  pivot_root . "${host_dir#/}"
  cd /
  # The CPU share the board's power mode and clocks give it (a stated model, see the script).
  /usr/sbin/edgecall-sim-cpu-quota
  rails_loop "$name" /sys/fs/cgroup "/sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0" </dev/null >/dev/null 2>&1 &
}

# The board's cgroup in every v1 hierarchy mounted under ROOT (default /sys/fs/cgroup).
board_cgroup_dirs() {
  local hierarchy
  for hierarchy in "${2:-/sys/fs/cgroup}"/*/; do
    # cgroup v1 hierarchies only (cgroup2's "unified" has cgroup.subtree_control).
    [ -f "$hierarchy/cgroup.procs" ] && [ ! -f "$hierarchy/cgroup.subtree_control" ] && echo "${hierarchy%/}/edgecall-sim/$1"
  done
}

# join_board_cgroups NAME [ROOT]: this process into the board's cgroups under ROOT (default
# /sys/fs/cgroup, the machine's; the holder, whose `ip netns exec` put a fresh sysfs on /sys,
# passes the board's own mounts). cpuset needs its parent's CPUs and memory nodes first.
join_board_cgroups() {
  local group parent file
  for group in $(board_cgroup_dirs "$1" "${2:-}"); do
    parent=$(dirname "$group")
    mkdir -p "$group"
    for file in cpuset.cpus cpuset.mems; do
      if [ -f "$parent/$file" ]; then
        [ -n "$(cat "$parent/$file")" ] || cat "$(dirname "$parent")/$file" >"$parent/$file"
        cat "$parent/$file" >"$group/$file"
      fi
    done
    echo $$ >"$group/cgroup.procs"
  done
}

# The machine's cgroup hierarchies mounted again under DIR (a bind of them from PID 1's mount
# namespace is refused, and mounting a hierarchy with its subsystems gives the same hierarchy).
mount_cgroups() {
  local dir=$1 source target type options
  mount -t tmpfs -o mode=755 cgroup "$dir"
  while read -r source target type options _; do
    case $type in cgroup | cgroup2) ;; *) continue ;; esac
    [[ $target == /sys/fs/cgroup/* ]] || continue
    mkdir -p "$dir/${target#/sys/fs/cgroup/}"
    options=$(tr ',' '\n' <<<"$options" | { grep -v -E '^(rw|ro|relatime|noatime|nosuid|nodev|noexec)$' || true; } | paste -sd, -)
    mount -t "$type" ${options:+-o "$options"} "$source" "$dir/${target#/sys/fs/cgroup/}"
  done </proc/1/mounts
}

# What a cluster node needs from the machine, in the board's mount namespace (run by the holder).
cluster_mounts() {
  local name=$1 dir root
  dir=$(board_dir "$name")
  root="$dir/merged"
  touch "$root/dev/kmsg"
  mount --bind /dev/kmsg "$root/dev/kmsg"
  mkdir -p "$root/sys/fs/cgroup" "$root/run/edgecall-sim/plain" "$dir/plain"
  mount_cgroups "$root/sys/fs/cgroup"
  join_board_cgroups "$name" "$root/sys/fs/cgroup"
  mount --bind "$dir/plain" "$root/run/edgecall-sim/plain"
  mount --bind "$(cluster_value KUBE_BIN)" "$root$BOARD_KUBE_BIN"
  mount -o remount,bind,ro "$root$BOARD_KUBE_BIN"
}

# A value of the EDGECALL_SIM_CLUSTER file, which holds paths on this machine.
cluster_value() {
  [ -f "${EDGECALL_SIM_CLUSTER:-}" ] || die "EDGECALL_SIM_CLUSTER names '${EDGECALL_SIM_CLUSTER:-}', which does not exist"
  local value
  value=$(sed -n "s/^$1=//p" "$EDGECALL_SIM_CLUSTER" | head -n 1)
  [ -n "$value" ] || die "$EDGECALL_SIM_CLUSTER has no $1="
  echo "$value"
}

# The board's INA3221 input rail, a simple stated model: RAIL_IDLE_MW plus RAIL_FULL_MW times the
# share of the machine's CPUs the board's cgroup used over the last 200 ms, at RAIL_MV. A power mode
# below the top one (edgecall-sim-cpu-quota caps the board's CPU share by mode) stands for lower
# clocks and voltage, so that same work draws less: the part above idle is scaled by the board's
# capped share too. Written where JetPack 4's ina3221x driver puts it, so telemetry reads power
# that follows the board's work.
# rails_loop NAME CGROUP_ROOT RAIL_DIR
rails_loop() {
  local name=$1 rail=$3 usage_file quota_file ncpu prev_usage prev_ns usage now share power quota cap
  usage_file="$2/cpuacct/edgecall-sim/$name/cpuacct.usage"
  quota_file="$2/cpu/edgecall-sim/$name/cpu.cfs_quota_us"
  ncpu=$(nproc)
  prev_usage=$(cat "$usage_file")
  prev_ns=$(date +%s%N)
  while sleep 0.2; do
    usage=$(cat "$usage_file") || return 0
    now=$(date +%s%N)
    # Per mille of all CPUs, capped at 1000.
    share=$(((usage - prev_usage) * 1000 / ((now - prev_ns) * ncpu)))
    [ "$share" -le 1000 ] || share=1000
    # The board's CPU cap, per mille of all CPUs (1000 without a quota).
    quota=$(cat "$quota_file" 2>/dev/null || echo -1)
    cap=1000
    [ "$quota" -lt 0 ] || cap=$((quota * 1000 / ($(cat "${quota_file%quota_us}period_us") * ncpu)))
    [ "$cap" -le 1000 ] || cap=1000
    power=$((RAIL_IDLE_MW + RAIL_FULL_MW * share * cap / 1000000))
    echo "$power" >"$rail/in_power0_input.tmp" && mv "$rail/in_power0_input.tmp" "$rail/in_power0_input"
    echo $((power * 1000 / RAIL_MV)) >"$rail/in_current0_input.tmp" && mv "$rail/in_current0_input.tmp" "$rail/in_current0_input"
    prev_usage=$usage
    prev_ns=$now
  done
}

# The machine's side of a cluster board: its pods' /24 routed to it, forwarding on, and the
# sysctls a kubelet changes recorded before the first such board starts.
host_cluster_up() {
  local index=$1 key
  exec {host_lock}>"$SIM_DIR/host.lock"
  flock "$host_lock"
  if [ ! -f "$SIM_DIR/host-sysctls.orig" ]; then
    for key in $HOST_SYSCTLS; do echo "$key=$(sysctl -n "$key")"; done >"$SIM_DIR/host-sysctls.orig"
  fi
  sysctl -qw net.ipv4.ip_forward=1
  ip route replace "10.42.$index.0/24" via "$SUBNET_PREFIX.$((index * 4 + 2))"
  flock -u "$host_lock"
}

host_cluster_down() {
  local index=$1 line
  # Boards go down side by side: one at a time here, so the last one sees it is the last.
  exec {host_lock}>"$SIM_DIR/host.lock"
  flock "$host_lock"
  ip route del "10.42.$index.0/24" 2>/dev/null || true
  if [ -f "$SIM_DIR/host-sysctls.orig" ] && [ -z "$(find "$SIM_DIR" -mindepth 2 -maxdepth 2 -name cluster -print -quit)" ]; then
    while IFS= read -r line; do sysctl -qw "$line"; done <"$SIM_DIR/host-sysctls.orig"
    rm -f "$SIM_DIR/host-sysctls.orig"
  fi
  flock -u "$host_lock"
}

# Kills what runs in the board's cgroups (containers leave its mount namespace) and removes them.
kill_board_cgroups() {
  local name=$1 group pids
  # Every hierarchy, cgroup2's too: a kubelet makes its cgroups in all it finds.
  local groups=(/sys/fs/cgroup/*/edgecall-sim/"$name")
  for _ in 1 2 3 4 5; do
    pids=$(for group in "${groups[@]}"; do
      [ -d "$group" ] && find "$group" -name cgroup.procs -exec cat {} + 2>/dev/null
    done | sort -u | tr '\n' ' ')
    [ -n "${pids// /}" ] || break
    # shellcheck disable=SC2086 # a list of process ids
    kill -KILL $pids 2>/dev/null || true
    sleep 0.2
  done
  for group in "${groups[@]}"; do
    if [ -d "$group" ]; then find "$group" -depth -type d -exec rmdir {} + 2>/dev/null || true; fi
    # The edgecall-sim parent goes with the last board.
    rmdir "$(dirname "$group")" 2>/dev/null || true
  done
}

wait_for() {
  local what=$1 seconds=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || die "$what did not happen within ${seconds}s"
    sleep 0.1
  done
}

# The pid of the board's sshd, if it runs.
sshd_pid() {
  local pid
  pid=$(in_board "$1" cat /run/edgecall-sim-sshd.pid 2>/dev/null) || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

sshd_listening() {
  local name=$1
  [ -n "$(in_ns "$name" ss -Htln "sport = :22")" ]
}

start_sshd() {
  local name=$1
  sshd_pid "$name" >/dev/null && return 0
  in_board "$name" /usr/sbin/sshd -f /etc/edgecall-sim/ssh/sshd_config -E /var/log/edgecall-sim-sshd.log
  wait_for "sshd of board $name listening" 10 sshd_listening "$name"
}

stop_sshd() {
  local name=$1 pid
  if pid=$(sshd_pid "$name"); then
    kill "$pid"
    wait_for "sshd of board $name stopping" 10 bash -c "! kill -0 $pid 2>/dev/null"
  fi
}

setup_network() {
  local name=$1 index=$2 ns veth
  ns=$(netns_name "$name")
  veth="ecsim$index"
  [ -e "/run/netns/$ns" ] || ip netns add "$ns"
  if ! ip link show "$veth" >/dev/null 2>&1; then
    ip link add "$veth" type veth peer name eth0 netns "$ns"
  fi
  ip addr replace "$SUBNET_PREFIX.$((index * 4 + 1))/30" dev "$veth"
  ip link set "$veth" up
  ip netns exec "$ns" ip addr replace "$SUBNET_PREFIX.$((index * 4 + 2))/30" dev eth0
  ip netns exec "$ns" ip link set eth0 up
  ip netns exec "$ns" ip link set lo up
  ip netns exec "$ns" ip route replace default via "$SUBNET_PREFIX.$((index * 4 + 1))"
}

up() {
  [ $# -eq 4 ] || die "usage: sim-board.sh up NAME INDEX BOARD_KIND L4T_RELEASE"
  local name=$1 index=$2 kind=$3 release=$4 dir
  check_name "$name"
  if ! [[ $index =~ ^[0-9]+$ ]] || [ "$index" -gt "$MAX_INDEX" ]; then
    die "INDEX '$index' must be 0..$MAX_INDEX"
  fi
  case $kind in nano | xavier | orin) ;; *) die "BOARD_KIND '$kind' must be nano, xavier or orin" ;; esac
  [ "$(id -u)" = 0 ] || die "simulated boards need root (network and mount namespaces)"
  dir=$(board_dir "$name")
  if [ -f "$dir/index" ] && [ "$(cat "$dir/index")" != "$index" ]; then
    die "board $name already runs with INDEX $(cat "$dir/index"); take it down first"
  fi

  mkdir -p "$SIM_DIR" "$dir"/{upper,work,merged,lower}
  [ -f "$SIM_DIR/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C edgecall-sim -f "$SIM_DIR/id_ed25519"
  echo "$index" >"$dir/index"
  if [ -n "${EDGECALL_SIM_CLUSTER:-}" ]; then touch "$dir/cluster"; fi
  setup_network "$name" "$index"
  if [ -f "$dir/cluster" ]; then
    host_cluster_up "$index"
    if [ ! -f "$dir/plain/containerd.copied" ]; then
      rm -rf "$dir/plain/containerd"
      copy_store "$(cluster_value CONTAINERD_STORE)/root" "$dir/plain/containerd"
      touch "$dir/plain/containerd.copied"
    fi
  fi

  if ! holder_pid "$name" >/dev/null; then
    rm -f "$dir/holder.ready"
    ip netns exec "$(netns_name "$name")" unshare --mount --uts --propagation private \
      setsid "$SELF" _holder "$name" "$kind" "$release" </dev/null >"$dir/holder.log" 2>&1 &
    wait_for "board $name mounting its root" 30 test -f "$dir/holder.ready"
  fi
  [ -f "$dir/seeded" ] || in_ns "$name" "$SELF" _seed "$name" "$kind" "$release"
  start_sshd "$name"
  board_ip "$name"
}

down() {
  local name=$1 dir pid index
  check_name "$name"
  dir=$(board_dir "$name")
  if pid=$(holder_pid "$name"); then
    # Everything started in the board (sshd, sessions) shares its mount namespace.
    local pids
    pids=$(for p in /proc/[0-9]*; do
      [ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$(readlink "/proc/$pid/ns/mnt")" ] && basename "$p"
    done || true)
    # shellcheck disable=SC2086 # a list of process ids
    [ -z "$pids" ] || kill $pids 2>/dev/null || true
    wait_for "board $name stopping" 10 bash -c "! kill -0 $pid 2>/dev/null"
  fi
  [ ! -f "$dir/cluster" ] || kill_board_cgroups "$name"
  if [ -f "$dir/index" ]; then
    index=$(cat "$dir/index")
    ip link del "ecsim$index" 2>/dev/null || true
  fi
  ip netns del "$(netns_name "$name")" 2>/dev/null || true
  if [ -f "$dir/cluster" ]; then
    rm -f "$dir/cluster"
    host_cluster_down "$index"
  fi
  rm -rf "$dir"
}

# One line per path that differs from the host's /: "PATH<TAB>TYPE MODE UID:GID SHA256|TARGET", or
# "PATH<TAB>absent" for a path the board deleted. Runtime noise (logs, /run, /tmp, sudo's
# timestamps, sshd's pid) is left out; a file put back as it was is no difference.
snapshot() {
  local name=$1 dir pid
  dir=$(board_dir "$name")
  pid=$(holder_pid "$name") || die "board $name is not running"
  # The overlay's layers, and the board's root, as the board's mount namespace has them.
  local layers=$dir merged=$dir/merged
  if [ -f "$dir/cluster" ]; then layers=/run/edgecall-sim/host$dir merged=""; fi
  nsenter -t "$pid" -m -- bash -s "$layers" "$merged" <<'EOF'
set -euo pipefail
layers=$1 merged=$2
describe() {
  local path=$1
  if [ -L "$path" ]; then
    echo "link $(readlink "$path")"
  elif [ -d "$path" ]; then
    stat -c 'dir %a %u:%g' "$path"
  elif [ -f "$path" ]; then
    echo "$(stat -c 'file %a %u:%g' "$path") $(sha256sum <"$path" | cut -d' ' -f1)"
  elif [ -e "$path" ]; then
    stat -c 'special %F %a %t:%T' "$path"
  else
    echo absent
  fi
}
cd "$layers/upper"
# The simulated power rails' readings change by themselves on a cluster board: sensors, not files.
find . -mindepth 1 \( -path ./run -o -path ./tmp -o -path ./var/log -o -path ./var/lib/sudo \
  -o -path ./proc -o -path ./var/cache -o -path './sys/bus/i2c/*/in_power*_input' \
  -o -path './sys/bus/i2c/*/in_current*_input' \) -prune -o -print | LC_ALL=C sort | while IFS= read -r rel; do
  path=${rel#.}
  if [ -c "$rel" ] && [ "$(stat -c '%t:%T' "$rel")" = 0:0 ]; then
    now=absent # an overlay whiteout
  else
    now=$(describe "$merged$path")
  fi
  before=$(describe "$layers/lower$path")
  [ "$now" = "$before" ] || printf '%s\t%s\n' "$path" "$now"
done
EOF
}

main() {
  [ $# -ge 1 ] || die "usage: sim-board.sh up|down|stop-sshd|start-sshd|ip|exec|snapshot NAME ..."
  local command=$1
  shift
  case $command in
    up) up "$@" ;;
    down) [ $# -eq 1 ] || die "usage: sim-board.sh down NAME" && down "$1" ;;
    stop-sshd) [ $# -eq 1 ] || die "usage: sim-board.sh stop-sshd NAME" && stop_sshd "$1" ;;
    start-sshd) [ $# -eq 1 ] || die "usage: sim-board.sh start-sshd NAME" && start_sshd "$1" ;;
    ip) [ $# -eq 1 ] || die "usage: sim-board.sh ip NAME" && board_ip "$1" ;;
    exec) [ $# -ge 2 ] || die "usage: sim-board.sh exec NAME COMMAND..." && in_board "$@" ;;
    snapshot) [ $# -eq 1 ] || die "usage: sim-board.sh snapshot NAME" && snapshot "$1" ;;
    _holder) holder "$@" ;;
    _seed) seed_board "$@" ;;
    *) die "unknown command '$command'; use up, down, stop-sshd, start-sshd, ip, exec or snapshot" ;;
  esac
}

main "$@"
