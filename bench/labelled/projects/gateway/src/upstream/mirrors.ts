const MIRRORS = (process.env.PKG_MIRRORS ?? 'https://mirror-a.example.com,https://mirror-b.example.com').split(',');

/** Downloads a package tarball from the first mirror that has it. */
export async function fetchTarball(name: string, version: string): Promise<ArrayBuffer> {
  for (const mirror of MIRRORS) {
    const res = await fetch(`${mirror}/${name}/-/${name}-${version}.tgz`);
    if (res.ok) {
      return res.arrayBuffer();
    }
  }
  throw new Error(`${name}@${version} not found on any mirror`);
}
