import { useState } from 'react';
import { Button, Input, Rating, Stack, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SURVEY_COMMENT_MAX, type SurveyAnswerInput } from '#shared/lifecycle-api.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { ApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { maxLength } from '../../lib/validation.ts';

/** A rating from 1 to 5 and a comment; errors are shown next to the field the server names. */
export function SurveyForm({ onSubmit }: { onSubmit: (answer: SurveyAnswerInput) => Promise<unknown> }) {
  const { t } = useTranslation();
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<{ rating?: string; comment?: string; general?: string }>({});

  const submit = async () => {
    if (rating < 1) {
      setErrors({ rating: t('lifecycle.survey.ratingRequired') });
      return;
    }
    const tooLong = maxLength(SURVEY_COMMENT_MAX)(comment);
    if (tooLong) {
      setErrors({ comment: tooLong });
      return;
    }
    setPending(true);
    setErrors({});
    try {
      await onSubmit({ rating, comment });
    } catch (error) {
      const field = error instanceof ApiError ? error.field : undefined;
      if (field === 'rating' || field === 'comment') setErrors({ [field]: errorMessage(error) });
      else setErrors({ general: errorMessage(error) });
    } finally {
      setPending(false);
    }
  };

  return (
    <Stack gap="sm" data-testid="survey-form">
      <Input.Wrapper label={t('lifecycle.survey.rating')} error={errors.rating} required>
        <Rating value={rating} onChange={setRating} size="lg" count={5} data-testid="survey-rating" aria-label={t('lifecycle.survey.rating')} />
      </Input.Wrapper>
      <Textarea
        label={t('lifecycle.survey.comment')}
        placeholder={t('lifecycle.survey.commentPlaceholder')}
        value={comment}
        onChange={(e) => setComment(e.currentTarget.value)}
        autosize
        minRows={2}
        error={errors.comment}
        data-testid="survey-comment"
      />
      <ErrorAlert message={errors.general ?? null} />
      <Button onClick={() => void submit()} loading={pending} style={{ alignSelf: 'flex-start' }} data-testid="survey-submit">
        {t('lifecycle.survey.submit')}
      </Button>
    </Stack>
  );
}
