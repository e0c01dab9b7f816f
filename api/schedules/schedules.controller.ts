import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import {
  scheduleNoteSchema,
  scheduleRequestSchema,
  type ScheduleRequest,
} from '../../common/schemas/schedule';
import {
  scheduleDetailSchema,
  scheduleListSchema,
  scheduleTriggeredSchema,
} from '../../common/schemas/schedule-responses';
import { ApiEmptyResponse, ApiZodResponse, jsonSchema } from '../http/openapi';
import { ZodPipe } from '../http/zod.pipe';
import { SchedulesService } from './schedules.service';
import { Access } from '../http/auth/access.decorator';

const scheduleBody = scheduleRequestSchema();
type Note = z.output<typeof scheduleNoteSchema>;

/** The note body is optional: an empty POST is fine. */
class OptionalNotePipe extends ZodPipe<typeof scheduleNoteSchema> {
  override transform(value: unknown): Note {
    return super.transform(
      value && typeof value === 'object' && Object.keys(value).length ? value : {},
    );
  }
}

@ApiTags('schedules')
@Controller('api/schedules')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Access('admin')
  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a recurring batch (Temporal Schedule): cron or every, plus the batch body',
  })
  @ApiBody({ schema: jsonSchema(scheduleBody) })
  @ApiZodResponse(201, scheduleDetailSchema, 'The schedule')
  async create(@Body(new ZodPipe(scheduleBody)) body: ScheduleRequest) {
    return this.schedules.create(body);
  }

  @Access('user')
  @Get()
  @ApiOperation({ summary: 'Recurring batches' })
  @ApiZodResponse(200, scheduleListSchema, 'Recurring batches')
  async list() {
    return this.schedules.list();
  }

  @Access('user')
  @Get(':id')
  @ApiOperation({ summary: 'One recurring batch: state, next run, recent batches' })
  @ApiZodResponse(200, scheduleDetailSchema, 'The schedule')
  async get(@Param('id') id: string) {
    return this.schedules.get(id);
  }

  @Access('admin')
  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause a schedule (no new batches until unpaused)' })
  @ApiZodResponse(200, scheduleDetailSchema, 'The schedule, paused')
  async pause(@Param('id') id: string, @Body(new OptionalNotePipe(scheduleNoteSchema)) body: Note) {
    return this.schedules.pause(id, body.note);
  }

  @Access('admin')
  @Post(':id/unpause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Unpause a schedule' })
  @ApiZodResponse(200, scheduleDetailSchema, 'The schedule, running')
  async unpause(
    @Param('id') id: string,
    @Body(new OptionalNotePipe(scheduleNoteSchema)) body: Note,
  ) {
    return this.schedules.unpause(id, body.note);
  }

  @Access('admin')
  @Post(':id/trigger')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start one batch of the schedule now' })
  @ApiZodResponse(202, scheduleTriggeredSchema, 'A batch was started')
  async trigger(@Param('id') id: string) {
    return this.schedules.trigger(id);
  }

  @Access('admin')
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a schedule (batches it started keep running)' })
  @ApiEmptyResponse(204, 'Deleted')
  async remove(@Param('id') id: string): Promise<void> {
    await this.schedules.delete(id);
  }
}
