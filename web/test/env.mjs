// The WebGPU of the runtime the tests run in, where wgpu's browser backend finds it, and
// the runtime's file reading and exit.
//
// wgpu (wasm32) looks for `navigator.gpu` on a global that has a `Window` or
// `WorkerGlobalScope` constructor, as browsers do; Node and Deno have neither, so one is
// declared. On Node the GPU is Dawn (npm `webgpu`): its OpenGL ES backend on Mesa's llvmpipe
// (EGL_PLATFORM=surfaceless) serves only the compatibility feature level, which wgpu does
// not ask for, so `requestAdapter` asks for it here. On Deno it is Deno's own WebGPU
// (wgpu-core; `--unstable-webgpu`), on Vulkan.

export const runtime = globalThis.Deno ? "deno" : "node";

export async function setUpWebGpu() {
  if (runtime === "node") {
    const { create, globals } = await import("webgpu");
    Object.assign(globalThis, globals);
    const backend = globalThis.process.env.DAWN_BACKEND ?? "opengles";
    const dawn = create([`backend=${backend}`]);
    const gpu = new Proxy(dawn, {
      get(target, key) {
        if (key === "requestAdapter") {
          return (options = {}) =>
            target.requestAdapter({ featureLevel: "compatibility", ...options });
        }
        const value = target[key];
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    Object.defineProperty(globalThis, "navigator", {
      value: { gpu },
      configurable: true,
    });
  } else if (!globalThis.navigator?.gpu) {
    throw new Error("Deno has no navigator.gpu: run it with --unstable-webgpu");
  }
  globalThis.Window ??= class Window {};
}

export async function readFile(url) {
  if (runtime === "deno") return globalThis.Deno.readFile(url);
  const fs = await import("node:fs/promises");
  return new Uint8Array(await fs.readFile(url));
}

export async function readText(url) {
  return new TextDecoder().decode(await readFile(url));
}

export function exit(code) {
  if (runtime === "deno") globalThis.Deno.exit(code);
  globalThis.process.exit(code);
}
