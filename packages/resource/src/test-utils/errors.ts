/** Asserting ResourceDefinitionErrors: the stable code and the parts of the message. */
import { expect } from 'vitest'
import { ResourceDefinitionError, type ResourceDefinitionErrorCode } from '../errors.js'

export function definitionError(run: () => unknown): ResourceDefinitionError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ResourceDefinitionError)
    return error as ResourceDefinitionError
  }
  throw new Error('expected a ResourceDefinitionError, but nothing was thrown')
}

/** Expects `run` to throw a ResourceDefinitionError with `code` whose message contains every part. */
export function expectDefinitionError(
  run: () => unknown,
  code: ResourceDefinitionErrorCode,
  ...messageParts: string[]
): ResourceDefinitionError {
  const error = definitionError(run)
  expect({ code: error.code, message: error.message }).toEqual({
    code,
    message: expect.stringContaining(messageParts[0] ?? ''),
  })
  for (const part of messageParts) expect(error.message).toContain(part)
  return error
}
