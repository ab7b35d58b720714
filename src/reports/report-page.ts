// The report's page geometry, shared by the model (chart sizes) and the PDF renderer (layout). A4 in points.
export const PAGE = {
  width: 595.28,
  height: 841.89,
  marginTop: 74,
  marginBottom: 68,
  marginLeft: 62,
  marginRight: 62,
} as const;

export const CONTENT_WIDTH = PAGE.width - PAGE.marginLeft - PAGE.marginRight;

/** Height of the radar chart's box; bar charts take the height their rows need. */
export const RADAR_HEIGHT = 300;
