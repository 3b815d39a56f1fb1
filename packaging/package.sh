#!/usr/bin/env bash
# Builds the release artifacts into dist/ (make package):
#   Windows: authlens.exe (amd64, cgo cross-built with mingw-w64, icon and
#            version resource from a .syso made by go-winres), a per-user
#            NSIS installer and a zip with README.txt;
#   Linux:   a tarball in Fyne's packaging layout (binary, .desktop, icon,
#            a Makefile to install it) and a .deb built with dpkg-deb.
# The version is FyneApp.toml's; the commit is git's. Both are stamped into
# the binaries with -ldflags -X (authlens version, the About box).
# Usage: packaging/package.sh [all|windows|linux]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
what="${1:-all}"

toml() { sed -n "s/^ *$1 *= *\"\{0,1\}\([^\"]*\)\"\{0,1\} *\$/\1/p" FyneApp.toml | head -1; }
VERSION="$(toml Version)"
BUILD="$(toml Build)"
APPID="$(toml ID)"
[ -n "$VERSION" ] && [ -n "$BUILD" ] || { echo "package: no Version/Build in FyneApp.toml" >&2; exit 1; }
COMMIT="$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
if [ "$COMMIT" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  COMMIT="$COMMIT-dirty"
fi
VERSION4="$VERSION.$BUILD"   # Windows version resources want four numbers
LDFLAGS="-s -w -X authlens/internal/cli.Version=$VERSION -X authlens/internal/cli.Commit=$COMMIT"
# go-winres (github.com/tc-hib/go-winres) turns the PNG icon and the
# version strings into a .syso the Go linker embeds in the .exe; fetched
# from the module proxy at a pinned version.
GOWINRES=github.com/tc-hib/go-winres@v0.3.3

dist=dist
build=build/package
mkdir -p "$dist" "$build"
echo "AuthLens $VERSION (build $BUILD, commit $COMMIT)"

windows() {
  local w="$build/windows" syso=rsrc_windows_amd64.syso
  rm -rf "$w" && mkdir -p "$w"
  # The .syso must sit in package main's folder while it builds; it is
  # removed afterwards (and ignored by git).
  trap 'rm -f "$syso"' RETURN
  go run "$GOWINRES" simply --arch amd64 --out rsrc --manifest cli \
    --icon assets/icon.png --product-name AuthLens \
    --file-description "AuthLens: why a website answered 401 or 403" \
    --product-version "$VERSION" --file-version "$VERSION4" \
    --original-filename authlens.exe --copyright "AuthLens contributors"
  local t0=$SECONDS
  CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
    go build -trimpath -ldflags "$LDFLAGS" -o "$w/authlens.exe" .
  echo "windows: authlens.exe built in $((SECONDS - t0))s"
  sed -e "s/@VERSION@/$VERSION/g" -e "s/@COMMIT@/$COMMIT/g" packaging/windows/README.txt | sed 's/$/\r/' > "$w/README.txt"
  local zip="$dist/authlens-$VERSION-windows-amd64.zip"
  rm -f "$zip"
  (cd "$w" && zip -q -X -9 "$OLDPWD/$zip" authlens.exe README.txt)
  makensis -V2 -DVERSION="$VERSION" -DVERSION4="$VERSION4" -DCOMMIT="$COMMIT" \
    -DSRCDIR="$PWD/$w" -DOUTFILE="$PWD/$dist/authlens-$VERSION-setup.exe" packaging/windows/authlens.nsi
}

linux() {
  local l="$build/linux" arch
  arch="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
  rm -rf "$l" && mkdir -p "$l"
  local t0=$SECONDS
  CGO_ENABLED=1 go build -trimpath -ldflags "$LDFLAGS" -o "$l/authlens" .
  echo "linux: authlens built in $((SECONDS - t0))s"

  # Tarball: Fyne's layout (usr/local/...) with a Makefile to install it.
  local t="$l/tar/AuthLens"
  install -Dm755 "$l/authlens" "$t/usr/local/bin/authlens"
  install -Dm644 packaging/linux/authlens.desktop "$t/usr/local/share/applications/authlens.desktop"
  install -Dm644 assets/icon.png "$t/usr/local/share/pixmaps/authlens.png"
  install -Dm644 packaging/linux/authlens-mime.xml "$t/usr/local/share/mime/packages/authlens.xml"
  install -Dm644 packaging/linux/Makefile "$t/Makefile"
  tar -C "$l/tar" --owner=0 --group=0 --numeric-owner -cJf "$dist/authlens-$VERSION-linux-$arch.tar.xz" AuthLens

  # .deb from a staged tree. Depends: the packages that hold the shared
  # libraries the binary links (libc and the GL/X11 runtime libraries).
  local d="$l/deb"
  install -Dm755 "$l/authlens" "$d/usr/bin/authlens"
  install -Dm644 packaging/linux/authlens.desktop "$d/usr/share/applications/$APPID.desktop"
  install -Dm644 assets/icon.png "$d/usr/share/icons/hicolor/512x512/apps/authlens.png"
  install -Dm644 assets/icon.png "$d/usr/share/pixmaps/authlens.png"
  install -Dm644 packaging/linux/authlens-mime.xml "$d/usr/share/mime/packages/authlens.xml"
  mkdir -p "$d/usr/share/doc/authlens"
  printf 'AuthLens %s (commit %s)\nhttps://github.com/ — see README.md in the source.\n' "$VERSION" "$COMMIT" > "$d/usr/share/doc/authlens/README"
  local deps=() lib pkg
  for lib in $(objdump -p "$l/authlens" | awk '/NEEDED/ {print $2}'); do
    pkg="$(dpkg -S "*/$lib" 2>/dev/null | grep -v -- '-dev' | head -1 | cut -d: -f1)"
    case "$pkg" in
      libc6|libgl1|libglx0|libx11-6|libxcursor1|libxrandr2|libxinerama1|libxi6|libxxf86vm1|libxext6|libxrender1|libxfixes3) deps+=("$pkg");;
      "") echo "package: no Debian package holds $lib" >&2; exit 1;;
      *) echo "package: $lib ($pkg) is not a GL/X11 runtime library: refusing to depend on it" >&2; exit 1;;
    esac
  done
  # GLFW loads these X11 libraries at run time (dlopen): the cursor
  # themes, monitors (RandR, Xinerama), raw input (XInput2) and gamma.
  deps+=(libxcursor1 libxi6 libxinerama1 libxrandr2 libxrender1 libxxf86vm1)
  local depends
  depends="$(printf '%s\n' "${deps[@]}" | sort -u | paste -sd, | sed 's/,/, /g')"
  mkdir -p "$d/DEBIAN"
  cat > "$d/DEBIAN/control" <<CONTROL
Package: authlens
Version: $VERSION-$BUILD
Architecture: $arch
Maintainer: AuthLens contributors <authlens@localhost>
Depends: $depends
Section: web
Priority: optional
Installed-Size: $(du -sk "$d/usr" | cut -f1)
Homepage: https://authlens.invalid/
Description: explains why a website answered 401 or 403
 AuthLens reads a HAR file or captures live traffic through its own local
 proxy, finds every 401 and 403, ranks the likely causes with the evidence
 from the traffic and walks support staff through the fixes.
 Built from commit $COMMIT.
CONTROL
  find "$d" -type d -exec chmod 755 {} +
  dpkg-deb --root-owner-group --build "$d" "$dist/authlens_$VERSION-${BUILD}_$arch.deb" >/dev/null
  echo "deb: Depends: $depends"
}

case "$what" in
  all) windows; linux;;
  windows) windows;;
  linux) linux;;
  *) echo "usage: $0 [all|windows|linux]" >&2; exit 2;;
esac
(cd "$dist" && sha256sum -- *.zip *.exe *.tar.xz *.deb 2>/dev/null > SHA256SUMS || true)
ls -l "$dist"
