#!/usr/bin/env bash
# Assembles the image's base root filesystem in OUT: a jlink runtime of the building JDK in
# /opt/java, plus the shared libraries it links against (glibc, libstdc++, libgcc, zlib), copied
# from this host's installed Debian packages. Copying from the host, rather than apt-get download,
# needs no network at build time and gives the runtime exactly the libraries the JDK it came from
# was built and tested against (the build runs on Debian 12, see .ci/run); PACKAGES records their
# versions for security tracking, and each package's copyright file is kept.
# Usage: rootfs.sh OUT JAVA_HOME MODULES UID JAR
set -euo pipefail
out=$1 java_home=$2 modules=$3 uid=$4 jar=$(realpath "$5")
allowed='^(ld-linux-x86-64\.so\.2|libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|libresolv\.so\.2|libstdc\+\+\.so\.6|libgcc_s\.so\.1|libz\.so\.1)$'
packages="libc6 libgcc-s1 libstdc++6 zlib1g"

rm -rf "$out"
mkdir -p "$out"
# Not compressed: compressing takes most of jlink's time and layer compression already does it.
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --output "$out/opt/java"

# Every ELF the runtime has, with the system libraries it needs. One that needs a library outside
# the allowed set (java.desktop's AWT, sound and font code: X11, ALSA, freetype) is deleted: a
# server never loads it, and it could not load in the image.
declare -A libs=()
# The native libraries Netty unpacks from the jar at run time (epoll, BoringSSL) need libraries
# no runtime ELF does (libdl, librt, libpthread): without them Netty falls back to NIO and JDK TLS.
natives=$(mktemp -d)
trap 'rm -rf "$natives"' EXIT
(cd "$natives" && "$java_home/bin/jar" tf "$jar" | grep '^META-INF/native/.*x86_64.*\.so$' \
  | xargs -r "$java_home/bin/jar" xf "$jar")
while IFS= read -r -d '' so; do
  for lib in $(ldd "$so" | awk '$2 == "=>" && $3 ~ /^\// {print $3}'); do
    if [[ $(basename "$lib") =~ $allowed ]]; then
      libs[$lib]=1
    else
      echo "rootfs: $(basename "$so") from the jar needs $lib, which the base lacks" >&2
      exit 1
    fi
  done
done < <(find "$natives" -name '*.so' -print0)
while IFS= read -r -d '' elf; do
  [ "$(head -c 4 "$elf" | tail -c 3)" = ELF ] || continue
  # ldd names the loader on a line of its own, as an absolute path without "=>".
  needs=$(ldd "$elf" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}')
  keep=1
  for lib in $needs; do
    case $lib in "$out"/*) continue ;; esac
    if [[ $(basename "$lib") =~ $allowed ]]; then libs[$lib]=1; else keep=; fi
  done
  if [ -z "$keep" ]; then
    echo "rootfs: dropping ${elf#"$out"} (needs libraries outside the base)" >&2
    rm -f "$elf"
  fi
done < <(find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0)

for lib in "${!libs[@]}"; do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib" # the path the loader searches, holding the file the link points at
done
test -f "$out/lib64/ld-linux-x86-64.so.2" # the loader (bin/java's PT_INTERP), listed by ldd

for p in $packages; do
  mkdir -p "$out/usr/share/doc/$p"
  cp "/usr/share/doc/$p/copyright" "$out/usr/share/doc/$p/copyright"
done
mkdir -p "$out/usr/share/switchboard"
dpkg-query -W -f '${Package}:${Architecture} ${Version}\n' $packages > "$out/usr/share/switchboard/PACKAGES"
"$out/opt/java/bin/java" -version 2>&1 | head -1 >> "$out/usr/share/switchboard/PACKAGES"

mkdir -p "$out/etc" "$out/tmp" "$out/etc/switchboard" "$out/var/lib/switchboard"
printf 'root:x:0:0:root:/root:/sbin/nologin\nswitchboard:x:%s:%s:switchboard:/var/lib/switchboard:/sbin/nologin\n' \
  "$uid" "$uid" > "$out/etc/passwd"
printf 'root:x:0:\nswitchboard:x:%s:\n' "$uid" > "$out/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$out/etc/nsswitch.conf"
echo "rootfs: $(du -sh "$out" | cut -f1) in $out" >&2
