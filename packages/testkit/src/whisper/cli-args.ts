/**
 * whisper-cli's command line as whisper.cpp's examples/cli/cli.cpp parses it: every flag it knows
 * (short and long), which take a value, bare arguments as input files — and its quirks: an
 * unknown flag, or a flag missing its value, prints an error and exits 0.
 */

/** Flags that take a value, by every spelling, mapped to one key. */
const VALUED: Record<string, string> = {};
/** Flags without a value. */
const SWITCHES: Record<string, string> = {};

function valued(key: string, ...names: string[]) {
  for (const name of names) VALUED[name] = key;
}
function switches(key: string, ...names: string[]) {
  for (const name of names) SWITCHES[name] = key;
}

valued("threads", "-t", "--threads");
valued("processors", "-p", "--processors");
valued("offset-t", "-ot", "--offset-t");
valued("offset-n", "-on", "--offset-n");
valued("duration", "-d", "--duration");
valued("max-context", "-mc", "--max-context");
valued("max-len", "-ml", "--max-len");
valued("best-of", "-bo", "--best-of");
valued("beam-size", "-bs", "--beam-size");
valued("audio-ctx", "-ac", "--audio-ctx");
valued("word-thold", "-wt", "--word-thold");
valued("entropy-thold", "-et", "--entropy-thold");
valued("logprob-thold", "-lpt", "--logprob-thold");
valued("no-speech-thold", "-nth", "--no-speech-thold");
valued("temperature", "-tp", "--temperature");
valued("temperature-inc", "-tpi", "--temperature-inc");
valued("font-path", "-fp", "--font-path");
valued("output-file", "-of", "--output-file");
valued("language", "-l", "--language");
valued("detect-langs", "--detect-langs");
valued("prompt", "--prompt");
valued("model", "-m", "--model");
valued("file", "-f", "--file");
valued("ov-e-device", "-oved", "--ov-e-device");
valued("dtw", "-dtw", "--dtw");
valued("device", "-dev", "--device");
valued("suppress-regex", "--suppress-regex");
valued("grammar", "--grammar");
valued("grammar-rule", "--grammar-rule");
valued("grammar-penalty", "--grammar-penalty");
valued("vad-model", "-vm", "--vad-model");
valued("vad-threshold", "-vt", "--vad-threshold");
valued("vad-min-speech-duration-ms", "-vspd", "--vad-min-speech-duration-ms");
valued("vad-min-silence-duration-ms", "-vsd", "--vad-min-silence-duration-ms");
valued("vad-max-speech-duration-s", "-vmsd", "--vad-max-speech-duration-s");
valued("vad-speech-pad-ms", "-vp", "--vad-speech-pad-ms");
valued("vad-samples-overlap", "-vo", "--vad-samples-overlap");

switches("debug-mode", "-debug", "--debug-mode");
switches("translate", "-tr", "--translate");
switches("diarize", "-di", "--diarize");
switches("tinydiarize", "-tdrz", "--tinydiarize");
switches("split-on-word", "-sow", "--split-on-word");
switches("no-fallback", "-nf", "--no-fallback");
switches("output-txt", "-otxt", "--output-txt");
switches("output-vtt", "-ovtt", "--output-vtt");
switches("output-srt", "-osrt", "--output-srt");
switches("output-words", "-owts", "--output-words");
switches("output-lrc", "-olrc", "--output-lrc");
switches("output-csv", "-ocsv", "--output-csv");
switches("output-json", "-oj", "--output-json");
switches("output-json-full", "-ojf", "--output-json-full");
switches("no-prints", "-np", "--no-prints");
switches("print-special", "-ps", "--print-special");
switches("print-colors", "-pc", "--print-colors");
switches("print-confidence", "--print-confidence");
switches("print-progress", "-pp", "--print-progress");
switches("no-timestamps", "-nt", "--no-timestamps");
switches("detect-language", "-dl", "--detect-language");
switches("carry-initial-prompt", "--carry-initial-prompt");
switches("log-score", "-ls", "--log-score");
switches("no-gpu", "-ng", "--no-gpu");
switches("flash-attn", "-fa", "--flash-attn");
switches("no-flash-attn", "-nfa", "--no-flash-attn");
switches("suppress-nst", "-sns", "--suppress-nst");
switches("vad", "--vad");

export interface WhisperCliArgs {
  /** Valued flags by key (the last given wins, as in cli.cpp), `file` and `output-file` aside. */
  values: Record<string, string>;
  switches: Set<string>;
  /** `-f` values and bare arguments, in order. */
  inputs: string[];
  /** `-of` values, matched to inputs by position. */
  outputs: string[];
}

export type ParseOutcome =
  | { ok: true; args: WhisperCliArgs }
  | { ok: false; stderr: string; exitCode: number; usage: boolean };

export function parseWhisperCliArgs(argv: readonly string[]): ParseOutcome {
  const args: WhisperCliArgs = { values: {}, switches: new Set(), inputs: [], outputs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-" || !arg.startsWith("-")) {
      args.inputs.push(arg);
      continue;
    }
    if (arg === "-h" || arg === "--help")
      return { ok: false, stderr: "", exitCode: 0, usage: true };
    const key = VALUED[arg];
    if (key) {
      const value = argv[i + 1];
      if (value === undefined)
        return {
          ok: false,
          stderr: `error: argument ${arg} requires value\n`,
          exitCode: 0,
          usage: false,
        };
      i++;
      if (key === "file") args.inputs.push(value);
      else if (key === "output-file") args.outputs.push(value);
      else args.values[key] = value;
      continue;
    }
    const flag = SWITCHES[arg];
    if (!flag)
      return { ok: false, stderr: `error: unknown argument: ${arg}\n`, exitCode: 0, usage: true };
    args.switches.add(flag);
    if (flag === "output-json-full") args.switches.add("output-json");
  }
  return { ok: true, args };
}

export const WHISPER_CLI_USAGE = `
usage: whisper-cli [options] file0 file1 ...
supported audio formats: flac, mp3, ogg, wav

options:
${[...new Set([...Object.entries(VALUED), ...Object.entries(SWITCHES)].map(([, key]) => key))]
  .map((key) => {
    const names = [...Object.entries(VALUED), ...Object.entries(SWITCHES)]
      .filter(([, k]) => k === key)
      .map(([name]) => name);
    return `  ${names.join(", ")}${VALUED[names[0]!] ? " VALUE" : ""}`;
  })
  .join("\n")}
`;
