// The file system ts-morph and TypeScript see: the file-system layer (files.ts) behind ts-morph's
// FileSystemHost interface. Reading a tsconfig, expanding its `include`, resolving imports and
// reading the files they name all go through it, so the program of a project never opens a FIFO,
// a device, a file over the cap or a file outside the workspace (other than the type declarations
// module resolution finds in a node_modules folder). Analysis never writes.
import * as path from 'path';
import * as tsMorph from 'ts-morph';
import type { FileSystemHost } from 'ts-morph';
import { FileAccess, PROGRAM_FILE_SIZE_LIMIT } from './files';

// ts-morph recognises "not there" by these classes; its typings declare them without exporting them.
const { FileNotFoundError, DirectoryNotFoundError } = tsMorph as unknown as Record<'FileNotFoundError' | 'DirectoryNotFoundError', new (p: string) => Error>;

type RuntimeDirEntry = ReturnType<FileSystemHost['readDirSync']>[number];

function readOnly(): never {
  throw new Error('the Linger analysis never writes to the file system');
}

export class BoundedFileSystemHost implements FileSystemHost {
  constructor(private files: FileAccess) {}

  isCaseSensitive(): boolean {
    return process.platform !== 'win32' && process.platform !== 'darwin';
  }

  readDirSync(dirPath: string): RuntimeDirEntry[] {
    if (!this.files.isDirectory(dirPath)) throw new DirectoryNotFoundError(dirPath);
    return this.files.readDir(dirPath).map((e) => ({
      name: e.path.split(path.sep).join('/'),
      isFile: e.isFile,
      isDirectory: e.isDir,
      isSymlink: false,
    }));
  }

  readFileSync(filePath: string): string {
    const r = this.files.readText(filePath, PROGRAM_FILE_SIZE_LIMIT, 'program');
    // Reported as missing: TypeScript then treats it as a file that is not there.
    if (r.text === undefined) throw new FileNotFoundError(filePath);
    return r.text;
  }

  async readFile(filePath: string): Promise<string> {
    return this.readFileSync(filePath);
  }

  fileExistsSync(filePath: string): boolean {
    return this.files.isReadableFile(filePath, 'program');
  }

  async fileExists(filePath: string): Promise<boolean> {
    return this.fileExistsSync(filePath);
  }

  directoryExistsSync(dirPath: string): boolean {
    return this.files.isDirectory(dirPath);
  }

  async directoryExists(dirPath: string): Promise<boolean> {
    return this.directoryExistsSync(dirPath);
  }

  realpathSync(p: string): string {
    return (this.files.real(p).real ?? path.resolve(p)).split(path.sep).join('/');
  }

  getCurrentDirectory(): string {
    return process.cwd().split(path.sep).join('/');
  }

  globSync(): string[] {
    return []; // ts-morph calls it only for addSourceFilesAtPaths, which the analysis does not use
  }

  async glob(): Promise<string[]> {
    return [];
  }

  deleteSync = readOnly;
  writeFileSync = readOnly;
  mkdirSync = readOnly;
  moveSync = readOnly;
  copySync = readOnly;
  delete = async () => readOnly();
  writeFile = async () => readOnly();
  mkdir = async () => readOnly();
  move = async () => readOnly();
  copy = async () => readOnly();
}
