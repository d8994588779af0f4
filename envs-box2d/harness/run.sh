#!/usr/bin/env bash
# Builds walker.cpp against three Box2D engines and replays every BipedalWalker golden case on each (README.md).
# Usage: harness/run.sh PYBOX2D_CHECKOUT [GOLDEN_DIR]   (Linux x86-64, g++, python3 with its headers)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pybox2d=$(cd "$1" && pwd)
golden=${2:-$here/../../../shared/golden}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pyinc=$(python3 -c "import sysconfig; print(sysconfig.get_paths()['include'])")
pylib=$(python3 -c "import sysconfig; print(sysconfig.get_config_var('LIBDIR'))")
flags="-DNDEBUG -fwrapv -O3 -I$pyinc"   # Python's CFLAGS, as the golden README's pybox2d build

# pybox2d's Box2D sources (b2_version 2.3.0), unchanged and with 2.3.1's b2Sweep::Advance, and libGDX's natives.
mkdir "$work/b2-2.3.0" "$work/b2-advance"
cp -r "$pybox2d/Box2D" "$work/b2-2.3.0/Box2D"
cp -r "$pybox2d/Box2D" "$work/b2-advance/Box2D"
sed -i 's/c0 = (1.0f - beta) \* c0 + beta \* c;/c0 += beta * (c - c0);/; s/a0 = (1.0f - beta) \* a0 + beta \* a;/a0 += beta * (a - a0);/' \
    "$work/b2-advance/Box2D/Common/b2Math.h"
grep -q 'c0 += beta \* (c - c0);' "$work/b2-advance/Box2D/Common/b2Math.h"
for engine in b2-2.3.0 b2-advance; do
    mkdir "$work/$engine.o"
    for f in $(find "$work/$engine/Box2D" -name '*.cpp'); do
        g++ $flags -I"$work/$engine" -c "$f" -o "$work/$engine.o/$(basename "$f" .cpp).o"
    done
    g++ $flags -I"$work/$engine" "$here/walker.cpp" "$work/$engine.o"/*.o $(python3-config --ldflags --embed) \
        -Wl,-rpath,"$pylib" -o "$work/walker-$engine"
done
natives=$(find ~/.m2/repository/com/badlogicgames/gdx/gdx-box2d-platform -name '*natives-desktop.jar' | head -1)
(cd "$work" && unzip -q -o "$natives" libgdx-box2d64.so)
g++ $flags -I"$work/b2-2.3.0" "$here/walker.cpp" "$work/libgdx-box2d64.so" -Wl,-rpath,"$work" -o "$work/walker-libgdx"
g++ $flags -DPAIR_ORDER -I"$work/b2-2.3.0" "$here/walker.cpp" "$work/libgdx-box2d64.so" -Wl,-rpath,"$work" \
    -o "$work/walker-libgdx-ordered"

echo "steps matching the golden file (observation and reward within 1e-4*max(1,|x|), same flags):"
printf '%-26s %-4s %-28s %-28s %-28s %-28s %s\n' env case "pybox2d 2.3.0 sources" "2.3.0 + 2.3.1's Advance" \
    "libGDX natives" "libGDX natives + pair order" "pair order = 2.3.0 + Advance"
for env in BipedalWalker-v3 BipedalWalkerHardcore-v3; do
    for i in $(seq 0 10); do
        python3 "$here/golden.py" input "$golden" "$env" "$i" "$work/in"
        row=()
        for engine in b2-2.3.0 b2-advance libgdx libgdx-ordered; do
            "$work/walker-$engine" "$work/in" > "$work/out-$engine"
            row+=("$(python3 "$here/golden.py" compare "$golden" "$env" "$i" "$work/out-$engine")")
        done
        cmp -s "$work/out-b2-advance" "$work/out-libgdx-ordered" && same="bit for bit" || same=differ
        printf '%-26s %-4s %-28s %-28s %-28s %-28s %s\n' "$env" "$i" "${row[@]}" "$same"
    done
done
