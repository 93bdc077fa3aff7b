#!/bin/sh
# Install the Studio Console bundle (this folder) on a Linux studio PC.
#
#   ./install.sh            as root: into /opt/studio-console, menu entry for everyone,
#                           `studio-console` in /usr/local/bin
#                           as a user: into ~/.local/share/studio-console, menu entry for you,
#                           `studio-console` in ~/.local/bin
#   ./install.sh --user     per-user install even as root
#   ./install.sh --prefix DIR   install the folder to DIR/studio-console (and DIR/bin, DIR/share)
#   ./install.sh --uninstall    remove what the same kind of install put in place
#
# The bundle carries Python, Qt, OpenCV and PortAudio; the PC needs only what every desktop
# has (X11/Wayland client libraries, fontconfig, libGL, ALSA or PulseAudio) and, for Chinese
# text, a CJK font (Debian/Ubuntu: fonts-wqy-microhei or fonts-noto-cjk).
set -eu

SRC=$(cd "$(dirname "$0")" && pwd)
NAME=studio-console
MODE=auto
PREFIX=
ACTION=install
while [ $# -gt 0 ]; do
  case "$1" in
    --user) MODE=user ;;
    --system) MODE=system ;;
    --prefix) shift; PREFIX=${1:?--prefix needs a folder}; MODE=prefix ;;
    --uninstall) ACTION=uninstall ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$MODE" = auto ]; then
  if [ "$(id -u)" = 0 ]; then MODE=system; else MODE=user; fi
fi
case "$MODE" in
  system) APPDIR=/opt/$NAME; BINDIR=/usr/local/bin; SHARE=/usr/share ;;
  user)   DATA=${XDG_DATA_HOME:-$HOME/.local/share}
          APPDIR=$DATA/$NAME; BINDIR=$HOME/.local/bin; SHARE=$DATA ;;
  prefix) APPDIR=$PREFIX/$NAME; BINDIR=$PREFIX/bin; SHARE=$PREFIX/share ;;
esac
SIZES="256 128 64 48"

refresh_caches() {
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$SHARE/applications" 2>/dev/null || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q "$SHARE/icons/hicolor" 2>/dev/null || true
}

if [ "$ACTION" = uninstall ]; then
  rm -rf "$APPDIR"
  rm -f "$BINDIR/$NAME" "$SHARE/applications/$NAME.desktop" "$SHARE/icons/hicolor/scalable/apps/$NAME.svg"
  for s in $SIZES; do rm -f "$SHARE/icons/hicolor/${s}x${s}/apps/$NAME.png"; done
  refresh_caches
  echo "Studio Console removed from $APPDIR"
  exit 0
fi

[ -x "$SRC/$NAME" ] || { echo "install.sh: run it from the unpacked bundle folder ($SRC/$NAME missing)" >&2; exit 1; }

# Copy to a temporary sibling and swap it in, so an interrupted copy never leaves half an app.
mkdir -p "$(dirname "$APPDIR")" "$BINDIR" "$SHARE/applications" "$SHARE/icons/hicolor/scalable/apps"
if [ "$SRC" != "$APPDIR" ]; then
  rm -rf "$APPDIR.new"
  cp -a "$SRC" "$APPDIR.new"
  rm -rf "$APPDIR.old"
  [ -e "$APPDIR" ] && mv "$APPDIR" "$APPDIR.old"
  mv "$APPDIR.new" "$APPDIR"
  rm -rf "$APPDIR.old"
fi
ln -sf "$APPDIR/$NAME" "$BINDIR/$NAME"

for s in $SIZES; do
  mkdir -p "$SHARE/icons/hicolor/${s}x${s}/apps"
  cp "$SRC/icons/hicolor/${s}x${s}/apps/$NAME.png" "$SHARE/icons/hicolor/${s}x${s}/apps/$NAME.png"
done
cp "$SRC/icons/$NAME.svg" "$SHARE/icons/hicolor/scalable/apps/$NAME.svg"
# The menu entry runs the installed executable by its full path (BINDIR may not be on PATH).
sed "s|^Exec=.*|Exec=$APPDIR/$NAME|" "$SRC/$NAME.desktop" > "$SHARE/applications/$NAME.desktop"
chmod 644 "$SHARE/applications/$NAME.desktop"
refresh_caches

echo "Studio Console installed in $APPDIR"
echo "  menu entry: $SHARE/applications/$NAME.desktop"
echo "  command:    $BINDIR/$NAME (try: $NAME --version)"
