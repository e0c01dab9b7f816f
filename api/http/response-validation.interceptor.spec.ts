import {
  Controller,
  Get,
  HttpCode,
  type INestApplication,
  Module,
  Post,
  Sse,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { PinoLogger } from 'nestjs-pino';
import { of } from 'rxjs';
import { z } from 'zod';
import type { Logger } from '../../common/logger';
import { isoDateTime, named } from '../../common/schemas/response-fields';
import { ErrorFilter } from './error.filter';
import { ApiSseResponse, ApiZodResponse } from './openapi';
import { issuePath, ResponseValidationInterceptor } from './response-validation.interceptor';

const thing = named(
  'TestThing',
  z.strictObject({ id: z.number().int(), at: isoDateTime, tags: z.array(z.string()) }),
);
const at = new Date('2026-01-31T12:00:00Z');

@Controller('t')
class TestController {
  @Get('ok')
  @ApiZodResponse(200, thing, 'ok')
  ok() {
    // A Date is checked as the client receives it: an ISO string.
    return { id: 1, at, tags: ['a'] };
  }

  @Get('wrong')
  @ApiZodResponse(200, thing, 'wrong')
  wrong() {
    return { id: 1.5, at, tags: ['a', 2] };
  }

  @Get('extra')
  @ApiZodResponse(200, thing, 'extra')
  extra() {
    return { id: 1, at, tags: [], secret: 'undocumented' };
  }

  @Post('undeclared')
  @HttpCode(201)
  @ApiZodResponse(202, thing, 'only 202 is declared')
  undeclared() {
    return { id: 1, at, tags: [] };
  }

  @Get('outside')
  outside() {
    return { anything: 'goes' };
  }

  @Sse('events')
  @ApiSseResponse(thing, 'events')
  events() {
    return of({ data: { id: 1, at, tags: [] } }, { data: { id: 'two', at, tags: [] } });
  }
}

@Module({ controllers: [TestController] })
class TestModule {}

describe('ResponseValidationInterceptor', () => {
  let app: INestApplication;
  let base: string;
  const logged: { obj: Record<string, unknown>; msg: string }[] = [];
  const logger = {
    error: (obj: Record<string, unknown>, msg: string) => logged.push({ obj, msg }),
  } as unknown as Logger;

  beforeAll(async () => {
    app = await NestFactory.create(TestModule, { logger: false });
    app.useGlobalFilters(new ErrorFilter({ error: () => undefined } as unknown as PinoLogger));
    app.useGlobalInterceptors(new ResponseValidationInterceptor(logger));
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => {
    logged.length = 0;
  });

  const get = async (path: string, method = 'GET') => {
    const res = await fetch(`${base}${path}`, { method });
    return {
      status: res.status,
      body: (await res.json()) as { error?: { type: string; message: string } },
    };
  };

  it('lets a response that matches its schema through, untouched', async () => {
    const r = await get('/t/ok');
    expect(r).toEqual({ status: 200, body: { id: 1, at: at.toISOString(), tags: ['a'] } });
    expect(logged).toEqual([]);
  });

  it('fails a mismatch with a 500 naming the route, the schema and each field path', async () => {
    const r = await get('/t/wrong');
    expect(r.status).toBe(500);
    expect(r.body.error?.type).toBe('ResponseSchemaMismatch');
    expect(r.body.error?.message).toContain('GET /t/wrong (200)');
    expect(r.body.error?.message).toContain('TestThing');
    expect(r.body.error?.message).toMatch(/id: .*int/i);
    expect(r.body.error?.message).toContain('tags[1]:');
    expect(logged).toHaveLength(1);
    expect(logged[0].obj).toMatchObject({
      route: 'GET /t/wrong',
      status: 200,
      schema: 'TestThing',
      issueCount: 2,
    });
    // Paths and messages only: the values never reach the log.
    expect(JSON.stringify(logged[0].obj)).not.toContain('1.5');
  });

  it('fails a field the schema does not document', async () => {
    const r = await get('/t/extra');
    expect(r.status).toBe(500);
    expect(r.body.error?.message).toMatch(/secret/);
    expect(JSON.stringify(r.body)).not.toContain('undocumented');
  });

  it('fails a 2xx status the route did not declare', async () => {
    const r = await get('/t/undeclared', 'POST');
    expect(r.status).toBe(500);
    expect(r.body.error?.message).toContain('status 201 is not declared');
  });

  it('leaves routes outside the OpenAPI document alone', async () => {
    expect(await get('/t/outside')).toEqual({ status: 200, body: { anything: 'goes' } });
  });

  it('checks the data of every server-sent event', async () => {
    const text = await (await fetch(`${base}/t/events`)).text();
    expect(text).toContain('"id":1');
    expect(text).not.toContain('"two"');
    expect(logged.map((l) => l.obj.route)).toEqual(['GET /t/events']);
  });

  it('writes issue paths the way people read them', () => {
    expect(issuePath([])).toBe('(body)');
    expect(issuePath(['items', 3, 'costUsd'])).toBe('items[3].costUsd');
    expect(issuePath([0, 'id'])).toBe('[0].id');
  });
});
