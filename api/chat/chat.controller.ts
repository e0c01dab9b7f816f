import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  type PipeTransform,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ACCEPTED_FRAMEWORK_SPELLINGS,
  type Framework,
  normalizeFramework,
} from '../../common/frameworks';
import {
  chatMessageRequestSchema,
  conversationListQuerySchema,
  type ChatMessageRequest,
  type ConversationListQuery,
} from '../../common/schemas/chat';
import {
  chatConversationListSchema,
  chatConversationSchema,
  chatTurnResponseSchema,
} from '../../common/schemas/chat-responses';
import {
  deletedCountSchema,
  messageSchema,
  TOTAL_COUNT_HEADER,
} from '../../common/schemas/response-fields';
import { ApiError } from '../http/api-error';
import { ApiZodQuery, ApiZodResponse, jsonSchema } from '../http/openapi';
import { ZodPipe } from '../http/zod.pipe';
import { ApiRecordId, RecordIdPipe } from '../http/record-id';
import { ChatService } from './chat.service';
import { Access } from '../http/auth/access.decorator';

/** The original had one route per framework: any other path segment is an unknown route. */
class FrameworkPathPipe implements PipeTransform<string, Framework> {
  transform(value: string): Framework {
    const f = normalizeFramework(value);
    if (!f) {
      throw new ApiError(
        HttpStatus.NOT_FOUND,
        'NotFound',
        `Unknown chat framework "${String(value).slice(0, 40)}": use one of ${ACCEPTED_FRAMEWORK_SPELLINGS.join(', ')}`,
        'NOT_FOUND',
      );
    }
    return f;
  }
}

const idPipe = new RecordIdPipe();

@ApiTags('chat')
@Controller('api/chat')
export class ChatController {
  constructor(private readonly chat: ChatService) {}

  @Access('user')
  @Get('conversations')
  @ApiOperation({
    summary: 'List conversations, most recently updated first, with message count and a preview',
    description: `The ${TOTAL_COUNT_HEADER} header says how many conversations there are in all.`,
  })
  @ApiZodQuery(conversationListQuerySchema)
  @ApiZodResponse(200, chatConversationListSchema, 'Conversations')
  async list(
    @Query(new ZodPipe(conversationListQuerySchema, 'query')) q: ConversationListQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    const [rows, total] = await Promise.all([this.chat.list(q), this.chat.count()]);
    res.setHeader(TOTAL_COUNT_HEADER, String(total));
    return rows;
  }

  @Access('user')
  @Get('conversations/:id')
  @ApiOperation({ summary: 'One conversation with all its messages' })
  @ApiZodResponse(200, chatConversationSchema, 'The conversation')
  @ApiRecordId('id', 'The conversation id')
  get(@Param('id', idPipe) id: number) {
    return this.chat.get(id);
  }

  @Access('admin')
  @Delete('conversations/:id')
  @ApiOperation({ summary: 'Delete one conversation and its messages' })
  @ApiZodResponse(200, messageSchema, 'Deleted')
  @ApiRecordId('id', 'The conversation id')
  deleteOne(@Param('id', idPipe) id: number) {
    return this.chat.deleteOne(id);
  }

  @Access('admin')
  @Delete('conversations')
  @ApiOperation({ summary: 'Delete every conversation and message' })
  @ApiZodResponse(200, deletedCountSchema, 'How many conversations were deleted')
  deleteAll() {
    return this.chat.deleteAll();
  }

  @Access('user')
  @Post(':framework')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send a chat message',
    description:
      'Without conversation_id a conversation is created (titled from the message). Messages of one conversation are answered strictly in order by its chatWorkflow (ID chat-<conversation id>), each with the full history (trimmed to the token budget) and the system prompt of the framework in the path.',
  })
  @ApiParam({ name: 'framework', enum: [...ACCEPTED_FRAMEWORK_SPELLINGS] })
  @ApiBody({ schema: jsonSchema(chatMessageRequestSchema) })
  @ApiZodResponse(200, chatTurnResponseSchema, 'The reply, with the whole conversation')
  send(
    @Param('framework', new FrameworkPathPipe()) framework: Framework,
    @Body(new ZodPipe(chatMessageRequestSchema)) body: ChatMessageRequest,
  ) {
    return this.chat.send(framework, body);
  }
}
