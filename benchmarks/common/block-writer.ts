import { once } from "events";

/**
 * Lines to a stream in blocks of about 64 kB, waiting when the stream is full: output of any
 * length in constant memory, without a write call per line.
 */
export class BlockWriter {
  private block: string[] = [];
  private size = 0;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  async line(text: string): Promise<void> {
    this.block.push(text);
    this.size += text.length + 1;
    if (this.size >= 1 << 16) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.block.length === 0) return;
    const text = `${this.block.join("\n")}\n`;
    this.block = [];
    this.size = 0;
    if (!this.stream.write(text)) await once(this.stream, "drain");
  }
}
