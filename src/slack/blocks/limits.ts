/**
 * Block Kit's limits: the one place their numbers live. The builders clip,
 * cap and page with them; the tests check every payload against schemas
 * built on them (test/support/slack/block-kit.ts), because Slack refuses a
 * payload that breaks one at runtime (`invalid_blocks`), while a user waits.
 *
 * Every number comes from Slack's current reference (docs.slack.dev: the
 * Block Kit block, element and composition-object pages, Modal and Home tab
 * views, views.open, chat.postMessage); the page is named beside each
 * constant. Where that reference disagrees with the team's slack.md notes
 * ("Block Kit limits") or with the @slack/types doc comments, the reference
 * wins and the comment says so.
 */

export const LIMITS = {
  /** chat.postMessage / "Truncating really long messages" changelog: `text` is cut at 40,000 characters. */
  messageText: 40_000,
  /** Blocks reference: up to 50 blocks per message... */
  messageBlocks: 50,
  /** ...and 100 per modal (Modal views) or Home tab (Home tab views). */
  viewBlocks: 100,
  /** Modal views: title, submit and close are plain_text of at most 24 characters. */
  modalButtonText: 24,
  /** Modal / Home tab views: private_metadata. */
  privateMetadata: 3_000,
  /** Modal / Home tab views: callback_id; views.open: external_id. */
  viewId: 255,
  /** Every block: block_id. Every interactive element: action_id. */
  id: 255,
  /** Text object: 1..3000 characters (also the section block's text). */
  text: 3_000,
  /** Section block: at most 10 fields of at most 2000 characters each. */
  sectionFields: 10,
  sectionFieldText: 2_000,
  /** Header block: plain_text of at most 150 characters. */
  headerText: 150,
  /** Context block: at most 10 image elements and text objects. */
  contextElements: 10,
  /** Actions block: at most 25 elements. */
  actionsElements: 25,
  /** Input block: label and hint, plain_text of at most 2000 characters. */
  inputLabel: 2_000,
  inputHint: 2_000,
  /** Image block: alt_text and title 2000; image block and image element: image_url 3000. */
  imageAltText: 2_000,
  imageTitle: 2_000,
  url: 3_000,
  /** Button element: text 75, value 2000, accessibility_label 75 (url 3000, action_id 255). */
  buttonText: 75,
  buttonValue: 2_000,
  accessibilityLabel: 75,
  /** Overflow menu: "up to five" options (minimum: see overflowMinOptions). */
  overflowOptions: 5,
  /**
   * The current overflow reference only says "up to five"; the previous
   * reference (api.slack.com) said "Maximum number of options is 5, minimum
   * is 2" and slack_sdk's OverflowMenuElement still enforces 2. Kept at 2.
   */
  overflowMinOptions: 2,
  /** Select menu (static): options 100, option_groups 100; option group: options 100. */
  selectOptions: 100,
  optionGroups: 100,
  /** Select menus and plain-text input: placeholder 150. */
  placeholder: 150,
  /** Radio button group: at most 10 options. */
  radioOptions: 10,
  /** Checkboxes: at most 10 options. */
  checkboxOptions: 10,
  /** Plain-text input: min_length 0..3000, max_length 1..3000. */
  inputLength: 3_000,
  /** Option object: text 75, description 75. */
  optionText: 75,
  optionDescription: 75,
  /**
   * Option object: value 150. slack.md (and @slack/types 3.2's doc comment)
   * still say 75; the current option-object reference says 150.
   */
  optionValue: 150,
  /** Option group object: label 75. */
  optionGroupLabel: 75,
  /** Confirmation dialog: title 100, text 300, confirm 30, deny 30. */
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** block_suggestion payload: "a maximum of 100 options or option groups". */
  optionsResponse: 100,
} as const;
