// The VS Code targets the extension is packaged for (each .vsix carries the compiled modules
// of its platform), and the target of the machine running the build.
export const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'];

export function hostTarget() {
  const arch = { x64: 'x64', arm64: 'arm64', arm: 'armhf' }[process.arch];
  if (arch === undefined || !['linux', 'darwin', 'win32'].includes(process.platform)) {
    throw new Error(`no VS Code target for ${process.platform}-${process.arch}`);
  }
  if (process.platform === 'linux' && !process.report.getReport().header.glibcVersionRuntime) {
    return `alpine-${arch}`;
  }
  return `${process.platform}-${arch}`;
}
