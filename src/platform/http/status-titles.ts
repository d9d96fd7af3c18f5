/**
 * The reason phrases of the HTTP statuses the APIs answer with, as WebOb's exceptions and
 * Python's http.client name them: the `title` of identity's and placement's fault bodies and of
 * the image API's WebOb pages. (WebOb's 416 phrase, "Request Range", is the one used.)
 */
export const HTTP_STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  416: 'Request Range Not Satisfiable',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The title of a status; `Error` for one not in the table. */
export function statusTitle(status: number): string {
  return HTTP_STATUS_TITLES[status] ?? 'Error';
}
