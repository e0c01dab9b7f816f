import { createHash, randomUUID } from 'node:crypto';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../../common/config';
import type { ContextFile, ContextUpload } from '../../common/schemas/context-responses';
import type { Message } from '../../common/schemas/response-fields';
import type { PrismaClient } from '../../prisma/client';
import {
  ContextFileError,
  contextFileTypeOf,
  parseContextFile,
  sanitizeFilename,
  UNSUPPORTED_FILE_TYPE_MESSAGE,
} from '../../activities/context/parsers';
import { ApiError } from '../http/api-error';
import { currentRequestContext } from '../http/request-context';
import { CONFIG, PRISMA } from '../core/tokens';
import { contextFileItem, uploadResponse } from './context.serializers';
import { fileTooLarge } from './upload.interceptor';

/** What multer hands over for the `file` field (memory storage). */
export interface UploadedContextFile {
  originalname: string;
  size: number;
  buffer: Buffer;
}

/**
 * Uploads are parsed once, here, and their text stored in the database: they survive restarts,
 * any API or worker process can read them, and they can be used by any number of executions.
 */
@Injectable()
export class ContextFilesService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {}

  async upload(
    file: UploadedContextFile | undefined,
    fields: Record<string, unknown> | undefined,
  ): Promise<ContextUpload> {
    // The document's form has the file alone; the original's pages send nothing else either.
    const extra = Object.keys(fields ?? {}).filter((f) => f !== 'file');
    if (extra.length > 0)
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'InvalidUpload',
        `Unexpected multipart field "${extra[0].slice(0, 60)}": send only the file, in the field named "file"`,
        'INVALID_UPLOAD',
        extra.map((f) => ({
          field: `body -> ${f.slice(0, 60)}`,
          message: 'not a field of this form',
          type: 'unrecognized_keys',
        })),
      );
    if (!file) {
      // A `file` part without a filename arrives as a plain text field.
      const message =
        fields && typeof fields === 'object' && 'file' in fields
          ? 'No filename provided'
          : 'No file provided: send multipart/form-data with the file in a field named "file"';
      throw new ApiError(HttpStatus.BAD_REQUEST, 'NoFileProvided', message);
    }
    const name = sanitizeFilename(file.originalname);
    if (!name) throw new ApiError(HttpStatus.BAD_REQUEST, 'NoFileProvided', 'No filename provided');
    const type = contextFileTypeOf(name);
    if (!type)
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'UnsupportedFileType',
        UNSUPPORTED_FILE_TYPE_MESSAGE,
      );
    if (file.size > this.config.env.MAX_UPLOAD_BYTES)
      throw fileTooLarge(this.config.env.MAX_UPLOAD_BYTES);

    let parsed;
    try {
      parsed = await parseContextFile(name, type, file.buffer);
    } catch (err) {
      if (err instanceof ContextFileError) {
        throw new ApiError(
          HttpStatus.UNPROCESSABLE_ENTITY,
          'FileProcessingError',
          `Failed to process ${name}: ${err.message}`,
        );
      }
      throw err;
    }
    const row = await this.prisma.contextFile.create({
      data: {
        id: randomUUID(),
        originalFilename: name,
        fileType: type,
        fileSizeBytes: file.size,
        processedContent: parsed.content,
        processedContentLength: parsed.content.length,
        processingTimeMs: parsed.processingTimeMs,
        sha256: createHash('sha256').update(file.buffer).digest('hex'),
        correlationId: currentRequestContext().correlationId,
      },
      select: {
        id: true,
        originalFilename: true,
        fileType: true,
        fileSizeBytes: true,
        processedContentLength: true,
        processingTimeMs: true,
      },
    });
    // Metadata only: neither the name nor the content of a user's file goes to the logs.
    this.logger.info(
      { fileId: row.id, fileType: type, bytes: file.size, ms: parsed.processingTimeMs },
      'context file stored',
    );
    return uploadResponse(row);
  }

  async list(skip: number, limit: number): Promise<ContextFile[]> {
    const rows = await this.prisma.contextFile.findMany({
      select: {
        id: true,
        originalFilename: true,
        fileType: true,
        fileSizeBytes: true,
        createdAt: true,
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      skip,
      take: limit,
    });
    return rows.map(contextFileItem);
  }

  async remove(id: string): Promise<Message> {
    const { count } = await this.prisma.contextFile.deleteMany({ where: { id } });
    if (count === 0)
      throw new ApiError(HttpStatus.NOT_FOUND, 'NotFound', 'File not found', 'NOT_FOUND');
    return { message: 'File deleted successfully' };
  }
}
