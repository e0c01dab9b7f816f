import { api, send } from './client';
import type { ScheduleRequest } from './types';

/** Recurring batches (Temporal Schedules made by Quillflow); the listing is eventually consistent. */
export const listSchedules = () => send(api.GET('/api/schedules'));

export const getSchedule = (id: string) =>
  send(api.GET('/api/schedules/{id}', { params: { path: { id } } }));

export const createSchedule = (body: ScheduleRequest) => send(api.POST('/api/schedules', { body }));

export const pauseSchedule = (id: string) =>
  send(api.POST('/api/schedules/{id}/pause', { params: { path: { id } } }));

export const resumeSchedule = (id: string) =>
  send(api.POST('/api/schedules/{id}/unpause', { params: { path: { id } } }));

/** Starts one batch of the schedule now, whatever its times. */
export const triggerSchedule = (id: string) =>
  send(api.POST('/api/schedules/{id}/trigger', { params: { path: { id } } }));

export const deleteSchedule = (id: string) =>
  send(api.DELETE('/api/schedules/{id}', { params: { path: { id } } }));
