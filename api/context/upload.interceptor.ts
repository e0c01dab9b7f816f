import {
  type CallHandler,
  type ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
  PayloadTooLargeException,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import type { Observable } from 'rxjs';
import type { AppConfig } from '../../common/config';
import { ApiError } from '../http/api-error';
import { CONFIG } from '../core/tokens';

/** `10MB` for 10 MiB; one decimal for sizes that are not whole megabytes. */
export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)}MB`;
}

export function fileTooLarge(maxBytes: number): ApiError {
  return new ApiError(
    HttpStatus.PAYLOAD_TOO_LARGE,
    'FileTooLarge',
    `File too large. Maximum size is ${megabytes(maxBytes)}`,
  );
}

/**
 * Nest's FileInterceptor for the one `file` field, held in memory (the text is parsed and stored
 * in the database; the bytes are never written to disk) and capped at MAX_UPLOAD_BYTES while
 * it streams in. Multer's errors become this API's messages.
 */
@Injectable()
export class ContextUploadInterceptor extends FileInterceptor('file') {
  private readonly maxBytes: number;

  constructor(@Inject(CONFIG) config: AppConfig) {
    const maxBytes = config.env.MAX_UPLOAD_BYTES;
    super({
      storage: memoryStorage(),
      limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 20 },
      // Browsers send file names as raw UTF-8; busboy's default (latin-1) would garble "José.txt".
      defParamCharset: 'utf8',
    });
    this.maxBytes = maxBytes;
  }

  override async intercept(
    context: ExecutionContext,
    next: CallHandler,
  ): Promise<Observable<unknown>> {
    try {
      return await super.intercept(context, next);
    } catch (err) {
      if (err instanceof PayloadTooLargeException) throw fileTooLarge(this.maxBytes);
      if (err instanceof ApiError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      if (/unexpected (file )?field/i.test(message)) {
        throw new ApiError(
          HttpStatus.BAD_REQUEST,
          'InvalidUpload',
          'Send the file in the multipart field named "file"',
        );
      }
      if (/too many files/i.test(message)) {
        throw new ApiError(HttpStatus.BAD_REQUEST, 'InvalidUpload', 'Upload one file per request');
      }
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'InvalidUpload',
        `Invalid multipart upload: ${message}`,
      );
    }
  }
}
