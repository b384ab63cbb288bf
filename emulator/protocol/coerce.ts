import { z } from "zod";

/**
 * Zod building blocks that accept a value in either wire form: the query protocol (Auto Scaling,
 * ELBv2, and CloudWatch as the AWS CLI sends it: every value a string, timestamps in ISO 8601,
 * empty lists as "") and AWS JSON (typed values, timestamps as epoch seconds).
 */

const numericString = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

const toNumber = (value: unknown): unknown => (typeof value === "string" && numericString.test(value) ? Number(value) : value);

export const number = z.preprocess(toNumber, z.number());

export const integer = z.preprocess(toNumber, z.number().int());

export const boolean = z.preprocess((value) => (value === "true" ? true : value === "false" ? false : value), z.boolean());

/** Epoch seconds (number or numeric string), an ISO 8601 string, or a Date → Date. */
export const timestamp = z.preprocess((value) => {
  if (value instanceof Date) return value;
  if (typeof value === "number") return new Date(value * 1000);
  if (typeof value === "string") {
    const date = numericString.test(value) ? new Date(Number(value) * 1000) : new Date(value);
    return Number.isNaN(date.getTime()) ? value : date;
  }
  return value;
}, z.date());

/** A list; the query protocol sends an empty list as an empty string. */
export const list = <Item extends z.ZodType>(item: Item, max = Number.MAX_SAFE_INTEGER, tooMany?: string) =>
  z.preprocess((value) => (value === "" ? [] : value), z.array(item).max(max, tooMany));
