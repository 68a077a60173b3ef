#!/usr/bin/env bash
# Set up the development environment once, then run one task in it.
#
#   bash build/dev.sh demo [TEXT...]   look up sample texts in the embedded demo directory
#   bash build/dev.sh test [ARGS...]   run the test suite (pytest ARGS)
#   bash build/dev.sh setup            only create or update the environment
#
# The virtual environment lives in $BANKCODE_VENV (default: .venv in the checkout) and
# is reinstalled when pyproject.toml changes.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${BANKCODE_VENV:-.venv}
stamp="$venv/.bankcode-installed"

setup() {
    local wanted
    wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
        return
    fi
    echo "Setting up $venv (the first time takes about 10 minutes: llama.cpp compiles from source)"
    [[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    # The pinned CPU build first, so that no other package pulls a CUDA torch.
    "$venv/bin/pip" install --quiet "torch==2.13.0"
    # Portable x86-64 flags: the native build crashes in ggml's AMX kernels on CPUs that have
    # AMX, and these are also the flags the Windows workstations need.
    CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON}" \
        "$venv/bin/pip" install --quiet -e ".[dev]"
    install_cjk_font
    echo "$wanted" >"$stamp"
}

# Qt draws Chinese as empty boxes without a CJK font; GUI tests and screenshots need one.
install_cjk_font() {
    if fc-list 2>/dev/null | grep -qi "wqy\|noto sans cjk"; then
        return
    fi
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        (apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei fontconfig libegl1 libxkbcommon0 \
            libgl1 libfontconfig1 libdbus-1-3 >/dev/null) || echo "warning: could not install fonts-wqy-microhei"
    else
        echo "warning: no CJK font found; install fonts-wqy-microhei for readable GUI screenshots"
    fi
}

task=${1:-demo}
shift || true
case "$task" in
    setup)
        setup
        ;;
    demo)
        setup
        if [[ $# -eq 0 ]]; then
            # The last text names a branch the demo directory lacks: it shows the no-answer output.
            set -- "工行知春路" "江油的农行纪念碑支行" "中國銀行石家莊師範街支行" "建设银行(长沙左家塘支行)" \
                "102100000030" "江油西山的华夏银行"
        fi
        for text in "$@"; do
            "$venv/bin/bankcode" query "$text" || true
            echo
        done
        ;;
    test)
        setup
        export QT_QPA_PLATFORM=offscreen
        "$venv/bin/python" -m pytest "$@"
        ;;
    *)
        echo "unknown task '$task': use demo, test or setup" >&2
        exit 2
        ;;
esac
