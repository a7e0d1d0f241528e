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
  nsenter -t "$pid" -n -m -u -- "$@"
}

# Runs a command on the board as root: in its namespaces, chrooted to its root.
in_board() {
  local name=$1
  shift
  in_ns "$name" chroot "$(board_dir "$name")/merged" "$@"
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

  # L4T tool emulators; the ones in /usr/local/sbin come before the real tools in sudo's secure_path.
  install -m 755 "$HERE/emulators/nvpmodel" "$root/usr/sbin/nvpmodel"
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
  local name=$1 dir root
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
  echo ready >"$dir/holder.ready"
  exec sleep infinity
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
  setup_network "$name" "$index"

  if ! holder_pid "$name" >/dev/null; then
    rm -f "$dir/holder.ready"
    ip netns exec "$(netns_name "$name")" unshare --mount --uts --propagation private \
      setsid "$SELF" _holder "$name" </dev/null >"$dir/holder.log" 2>&1 &
    wait_for "board $name mounting its root" 10 test -f "$dir/holder.ready"
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
  if [ -f "$dir/index" ]; then
    index=$(cat "$dir/index")
    ip link del "ecsim$index" 2>/dev/null || true
  fi
  ip netns del "$(netns_name "$name")" 2>/dev/null || true
  rm -rf "$dir"
}

# One line per path that differs from the host's /: "PATH<TAB>TYPE MODE UID:GID SHA256|TARGET", or
# "PATH<TAB>absent" for a path the board deleted. Runtime noise (logs, /run, /tmp, sudo's
# timestamps, sshd's pid) is left out; a file put back as it was is no difference.
snapshot() {
  local name=$1 dir pid
  dir=$(board_dir "$name")
  pid=$(holder_pid "$name") || die "board $name is not running"
  nsenter -t "$pid" -m -- bash -s "$dir" <<'EOF'
set -euo pipefail
dir=$1
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
cd "$dir/upper"
find . -mindepth 1 \( -path ./run -o -path ./tmp -o -path ./var/log -o -path ./var/lib/sudo \
  -o -path ./proc -o -path ./var/cache \) -prune -o -print | LC_ALL=C sort | while IFS= read -r rel; do
  path=${rel#.}
  if [ -c "$rel" ] && [ "$(stat -c '%t:%T' "$rel")" = 0:0 ]; then
    now=absent # an overlay whiteout
  else
    now=$(describe "$dir/merged$path")
  fi
  before=$(describe "$dir/lower$path")
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
    _holder) holder "$1" ;;
    _seed) seed_board "$@" ;;
    *) die "unknown command '$command'; use up, down, stop-sshd, start-sshd, ip, exec or snapshot" ;;
  esac
}

main "$@"
