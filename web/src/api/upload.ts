/**
 * PUTs a file to a presigned URL with upload progress. XMLHttpRequest, not fetch: fetch reports no upload
 * progress. The URL is the credential; no cookie goes with it.
 */
export function uploadWithProgress(
  target: { url: string; headers: Record<string, string> },
  file: Blob,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('PUT', target.url);
    for (const [name, value] of Object.entries(target.headers)) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve();
      } else reject(new Error(`The storage service refused the upload (HTTP ${request.status}).`));
    };
    request.onerror = () => reject(new Error('The upload could not reach the storage service.'));
    request.onabort = () => reject(new Error('The upload was cancelled.'));
    signal?.addEventListener('abort', () => request.abort());
    request.send(file);
  });
}
